import { describe, expect, it } from "vitest";
import {
  parseReviewMarker,
  resolvedReviewBody,
  reviewCommentBody,
  reviewKey,
} from "../../src/action/comment-bodies.js";
import { planScan } from "../../src/action/plan-scan.js";
import { parseEvent } from "../../src/action/read-event.js";
import { readActionInputs } from "../../src/action/read-inputs.js";
import { maskValues, outputEntry } from "../../src/action/workflow-commands.js";
import { randomString } from "../../src/config/example-template.js";
import type { ReportFinding } from "../../src/types.js";
import { parseOutputFile } from "./run-bundled-action.js";

const SHA = (c: string) => c.repeat(40);

function reportFinding(fingerprint: string): ReportFinding {
  return {
    ruleId: "openai-project-key",
    title: "OpenAI project API key",
    provider: "openai",
    severity: "critical",
    tags: [],
    path: "dir with space/a|b.env",
    line: 4,
    column: 1,
    endLine: 4,
    endColumn: 20,
    secret: "sk-proj-abcd*****",
    lineText: "KEY=sk-proj-abcd*****",
    metadata: {},
    entropy: 4.5,
    fingerprint,
    remediation: "Rotate it.",
  };
}

describe("Action inputs", () => {
  it("reads the runner's INPUT_ variables, hyphens kept, with action.yml's defaults", () => {
    expect(readActionInputs({})).toEqual({
      githubToken: "",
      failOn: "any",
      verify: false,
      revoke: false,
      revokeConfirm: false,
      comment: true,
      sarifFile: "keywarden.sarif",
      scan: "auto",
      redact: true,
    });
    const inputs = readActionInputs({
      "INPUT_GITHUB-TOKEN": "t",
      "INPUT_FAIL-ON": "Live",
      INPUT_VERIFY: "TRUE",
      INPUT_COMMENT: "False",
      "INPUT_SARIF-FILE": "",
      INPUT_CONFIG: " ci/keywarden.yaml ",
    });
    expect(inputs).toMatchObject({
      githubToken: "t",
      failOn: "live",
      verify: true,
      comment: false,
      config: "ci/keywarden.yaml",
    });
    expect(inputs.sarifFile).toBeUndefined();
  });

  it("rejects what it cannot read, naming the input", () => {
    expect(() => readActionInputs({ INPUT_VERIFY: "yes" })).toThrow(
      'input verify: "yes" is not a boolean (use true or false)',
    );
    expect(() => readActionInputs({ INPUT_SCAN: "all" })).toThrow(
      'input scan: "all" is not one of auto, range, full',
    );
    expect(() => readActionInputs({ "INPUT_REVOKE-CONFIRM": "true" })).toThrow(
      "input revoke-confirm: true needs revoke: true",
    );
  });
});

describe("events and scan plans", () => {
  it("plans a pull request's range, a push's range, and full scans elsewhere", () => {
    const pr = parseEvent("pull_request_target", {
      pull_request: {
        number: 3,
        commits: 2,
        base: { sha: SHA("a"), ref: "main" },
        head: { sha: SHA("b"), ref: "f" },
      },
    });
    expect(planScan(pr, "auto")).toMatchObject({ kind: "pull-request", full: false });
    expect(planScan(pr, "full")).toMatchObject({ kind: "pull-request", full: true });

    const created = parseEvent("push", { ref: "refs/heads/f", before: SHA("0"), after: SHA("c") });
    expect(planScan(created, "auto")).toEqual({
      kind: "push",
      push: { ref: "refs/heads/f", after: SHA("c") },
    });
    const deleted = parseEvent("push", { ref: "refs/heads/f", before: SHA("c"), after: SHA("0") });
    expect(planScan(deleted, "auto").kind).toBe("nothing");

    const queued = parseEvent("merge_group", {
      merge_group: {
        base_sha: SHA("a"),
        head_sha: SHA("e"),
        head_ref: "refs/heads/gh-readonly-queue/main/pr-1",
      },
    });
    expect(planScan(queued, "auto")).toMatchObject({
      kind: "push",
      push: { before: SHA("a"), after: SHA("e") },
    });

    expect(planScan(parseEvent("schedule", {}), "auto")).toEqual({ kind: "full" });
    expect(() => planScan(parseEvent("schedule", {}), "range")).toThrow(/needs a pull_request/);
  });

  it("names the payload field at fault", () => {
    expect(() =>
      parseEvent("pull_request", { pull_request: { number: 1, base: { sha: "xyz", ref: "m" } } }),
    ).toThrow(/^pull_request event payload: pull_request\.base\.sha: not a commit id$/);
  });
});

describe("review comment markers", () => {
  it("round-trip path, line and fingerprints, so a re-run finds its comment", () => {
    const body = reviewCommentBody("dir with space/a|b.env", 4, [
      reportFinding("f2"),
      reportFinding("f1"),
    ]);
    const marker = parseReviewMarker(body)!;
    expect(marker).toEqual({
      state: "open",
      path: "dir with space/a|b.env",
      line: 4,
      fingerprints: ["f1", "f2"],
    });
    expect(reviewKey(marker)).toBe(
      reviewKey({ path: "dir with space/a|b.env", line: 4, fingerprints: ["f2", "f1"] }),
    );
    const resolved = resolvedReviewBody(marker, body, SHA("d"));
    expect(parseReviewMarker(resolved)?.state).toBe("resolved");
    expect(parseReviewMarker(`quoted:\n${body}`)).toBeUndefined();
  });
});

describe("workflow commands", () => {
  it("masks each line of a multi-line secret, not its armour", () => {
    const body = [randomString("ABCDEFGH", 64), randomString("ABCDEFGH", 64)];
    const pem = ["-----BEGIN PRIVATE KEY-----", ...body, "-----END PRIVATE KEY-----"].join("\n");
    expect(maskValues(pem)).toEqual(body);
    expect(maskValues("abc")).toEqual([]);
  });

  it("writes outputs the runner reads back, line breaks included", () => {
    const text = outputEntry("findings", "3") + outputEntry("note", "two\nlines");
    expect(parseOutputFile(text)).toEqual({ findings: "3", note: "two\nlines" });
  });
});
