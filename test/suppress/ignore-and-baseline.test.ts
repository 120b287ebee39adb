import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { ConfigError } from "../../src/errors.js";
import { applySuppressions, describeUnusedEntries } from "../../src/suppress/apply-suppressions.js";
import { createBaseline, parseBaseline } from "../../src/suppress/baseline.js";
import {
  appendIgnoreLine,
  formatIgnoreLine,
  parseIgnoreFile,
} from "../../src/suppress/ignore-file.js";
import type { Finding } from "../../src/types.js";

function finding(overrides: Partial<Finding> = {}): Finding {
  const secret = expandTemplate("ghp_{{alnum:36}}");
  return {
    ruleId: "github-pat",
    title: "GitHub token",
    provider: "github",
    severity: "critical",
    tags: [],
    path: "app.env",
    line: 3,
    column: 7,
    endLine: 3,
    endColumn: 47,
    secret,
    match: secret,
    lineText: `TOKEN=${secret}`,
    metadata: {},
    entropy: 4.5,
    fingerprint: expandTemplate("{{hex:32}}"),
    ...overrides,
  };
}

describe("parseIgnoreFile", () => {
  it("reads entries, comments and reasons", () => {
    const a = expandTemplate("{{hex:32}}");
    const b = expandTemplate("{{hex:32}}");
    const text = [
      "# header comment",
      "",
      `${a}   # test fixture, never deployed`,
      `src/my file.env:${b} # path with a space`,
      `${a} reason without a hash`,
      "abc1234:main.go:aws-access-key:20",
    ].join("\n");
    const entries = parseIgnoreFile(text, ".keywardenignore");
    expect(entries.map((e) => [e.line, e.reason])).toEqual([
      [3, "test fixture, never deployed"],
      [4, "path with a space"],
      [5, "reason without a hash"],
      [6, undefined],
    ]);
    expect(entries[1]!.entry).toEqual({
      kind: "fingerprint",
      fingerprint: b,
      path: "src/my file.env",
    });
  });

  it("names the file and line of an entry it cannot read", () => {
    expect(() => parseIgnoreFile("# ok\nnot an entry\n", "x/.keywardenignore")).toThrow(
      ConfigError,
    );
    expect(() => parseIgnoreFile("# ok\nnot an entry\n", "x/.keywardenignore")).toThrow(
      /^x\/\.keywardenignore:2: /,
    );
  });

  it("appends one line per entry, reason kept on one line", () => {
    const fp = expandTemplate("{{hex:32}}");
    const line = formatIgnoreLine({ kind: "fingerprint", fingerprint: fp }, "multi\nline reason");
    expect(line).toBe(`${fp}  # multi line reason\n`);
    const file = appendIgnoreLine(appendIgnoreLine("", line), line);
    expect(file.startsWith("#")).toBe(true);
    expect(parseIgnoreFile(file, "f")).toHaveLength(2);
    expect(appendIgnoreLine("x", line)).toBe(`x\n${line}`);
  });
});

describe("applySuppressions", () => {
  it("drops ignored and baselined findings and names unused entries", () => {
    const ignored = finding();
    const baselined = finding({ path: "b.env" });
    const kept = finding({ path: "c.env" });
    const stale = expandTemplate("{{hex:32}}");
    const ignore = parseIgnoreFile(
      `${ignored.fingerprint} # known\n${stale} # gone\n`,
      ".keywardenignore",
    );
    const baseline = parseBaseline(createBaseline([baselined]), "baseline.json");
    const result = applySuppressions([ignored, baselined, kept], { ignore, baseline });
    expect(result.findings).toEqual([kept]);
    expect(result.suppressed.map((s) => s.by)).toEqual(["ignore-file", "baseline"]);
    expect(result.unused.map((u) => u.line)).toEqual([2]);
    expect(describeUnusedEntries(result.unused)).toBe(
      `keywarden: .keywardenignore:2: unused ignore entry ${stale} matched nothing in this scan (reason: gone)\n`,
    );
  });
});

describe("applySuppressions and paths", () => {
  it("reads an entry's path from its ignore file's folder, and each finding's from where it was found", () => {
    const atTop = finding({ path: ".env", line: 2 });
    const inConfig = finding({ path: "config/.env", line: 2 });
    const fromConfig = finding({ path: ".env", line: 2 });
    const entries = (text: string) =>
      parseIgnoreFile(text, ".keywardenignore").map((entry) => ({ ...entry, base: "/repo" }));
    const configOnly = entries("config/.env:github-pat:2\n");
    const kept = (findings: Finding[], pathsFrom: string, ignore = configOnly) =>
      applySuppressions(findings, { ignore }, pathsFrom).findings;
    // From the top: `config/.env` names that file only, and `.env` the top one only.
    expect(kept([atTop, inConfig], "/repo")).toEqual([atTop]);
    expect(kept([atTop, inConfig], "/repo", entries(".env:github-pat:2\n"))).toEqual([inConfig]);
    // A scan run inside config/ names the same file `.env`.
    expect(kept([fromConfig], "/repo/config")).toEqual([]);
    expect(kept([fromConfig], "/repo/config", entries(".env:github-pat:2\n"))).toEqual([
      fromConfig,
    ]);
  });
});

describe("baseline", () => {
  it("is sorted, secret-free and identical for the same findings in any order", () => {
    const findings = [
      finding({ path: "z.env" }),
      finding({ path: "a.env", line: 9 }),
      finding({ path: "a.env", line: 2 }),
    ];
    const once = createBaseline(findings);
    const again = createBaseline([...findings].reverse());
    expect(again).toBe(once);
    const parsed = JSON.parse(once) as {
      findings: { path: string; line: number }[];
      createdAt?: string;
    };
    expect(parsed.findings.map((f) => `${f.path}:${f.line}`)).toEqual([
      "a.env:2",
      "a.env:9",
      "z.env:3",
    ]);
    expect(parsed.createdAt).toBeUndefined();
    for (const f of findings) expect(once).not.toContain(f.secret.slice(4));
  });

  it("records the commit of git findings and a time only when asked", () => {
    const commit = expandTemplate("{{hex:40}}");
    const text = createBaseline(
      [finding({ git: { commit, author: "a", email: "a@b", date: "2024-01-01T00:00:00Z" } })],
      { createdAt: "2024-02-03T04:05:06.000Z" },
    );
    expect(text).toContain(commit);
    expect(JSON.parse(text).createdAt).toBe("2024-02-03T04:05:06.000Z");
  });

  it("reads keywarden baselines, keywarden JSON reports and gitleaks reports", () => {
    const f = finding();
    expect(parseBaseline(createBaseline([f]), "b").fingerprints.has(f.fingerprint)).toBe(true);
    const report = JSON.stringify({
      version: 1,
      findings: [{ ruleId: "x", fingerprint: f.fingerprint, secret: "ab*****" }],
    });
    expect(parseBaseline(report, "r.json").fingerprints.has(f.fingerprint)).toBe(true);
    const gitleaks = JSON.stringify([
      { RuleID: "github-pat", Fingerprint: "app.env:github-pat:3" },
    ]);
    const fromGitleaks = parseBaseline(gitleaks, "g.json");
    const result = applySuppressions([f], { ignore: [], baseline: fromGitleaks });
    expect(result.findings).toEqual([]);
  });

  it("rejects what is not a baseline with one clear line", () => {
    expect(() => parseBaseline("{", "b.json")).toThrow(/^b\.json: baseline is not JSON/);
    expect(() => parseBaseline('{"version":2,"findings":[]}', "b.json")).toThrow(
      "b.json: baseline version 2, and this keywarden reads version 1",
    );
    expect(() => parseBaseline('{"findings":[{"fingerprint":"nope"}]}', "b.json")).toThrow(
      /^b\.json: not a baseline/,
    );
  });
});
