import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import {
  fullCheckout,
  git,
  loggedLines,
  OWNER,
  openaiKey,
  REPO,
  standInGithub,
} from "./action-fixtures.js";
import { type ActionCopy, copyAction, runBundledAction } from "./run-bundled-action.js";

let action: ActionCopy;
beforeAll(() => {
  action = copyAction();
});
afterAll(() => action.remove());

const ZERO = "0".repeat(40);

function pushPayload(ref: string, before: string, after: string): unknown {
  return {
    ref,
    before,
    after,
    created: before === ZERO,
    deleted: after === ZERO,
    forced: false,
    repository: { full_name: `${OWNER}/${REPO}`, name: REPO, default_branch: "main" },
    pusher: { name: "ada" },
    commits: [],
  };
}

/** A checkout as actions/checkout makes it for a push with its default depth of 1. */
function shallowCheckout(originDir: string, branch: string): string {
  const dir = makeTempDir("keywarden-ws-");
  git(dir, "clone", "-q", "--depth=1", "--branch", branch, `file://${originDir}`, ".");
  return dir;
}

/** The Action on a push event of a repository with one commit, checked out whole. */
async function pushToOneCommitRepo(
  payload: (head: string) => unknown,
  inputs?: Readonly<Record<string, string>>,
) {
  const origin = makeTempRepo();
  const head = origin.commit("start", { "README.md": "# app\n" });
  const github = await standInGithub();
  return runBundledAction({
    action,
    workspace: fullCheckout(origin, "main"),
    eventName: "push",
    payload: payload(head),
    apiUrl: github.url,
    ...(inputs ? { inputs } : {}),
  });
}

describe("the Action on a push", () => {
  it("scans the pushed commits only, fetching what a shallow checkout lacks", async () => {
    const [oldKey, newKey] = [openaiKey(), openaiKey()];
    const origin = makeTempRepo();
    origin.commit("start", { "README.md": "# app\n" });
    origin.commit("an old leak, already reported", { "old.env": `OPENAI_API_KEY=${oldKey}\n` });
    const before = origin.commit("docs", { "docs/a.md": "hello\n" });
    origin.commit("wip", { "src/a.ts": "export const a = 1;\n" });
    const after = origin.commit("config", {
      "config/app.env": `NAME=x\nOPENAI_API_KEY=${newKey}\n`,
    });

    const github = await standInGithub();
    const result = await runBundledAction({
      action,
      workspace: shallowCheckout(origin.dir, "main"),
      eventName: "push",
      payload: pushPayload("refs/heads/main", before, after),
      apiUrl: github.url,
      sha: after,
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ findings: "1", "exit-code": "1" });
    expect(result.stdout).toMatch(/^::error file=config\/app\.env,line=2,/m);
    expect(result.stdout).not.toContain("old.env");
    expect(result.summary).toContain(
      `the push to main (commits ${before.slice(0, 12)}..${after.slice(0, 12)})`,
    );
    expect(result.summary).toMatch(
      /\| `config\/app\.env` \| 2 \| `openai-project-key` \| openai \|/,
    );
    // No pull request, no comments.
    expect(github.server.requests).toEqual([]);
    expect(loggedLines(result.stdout).join("\n")).not.toContain(newKey);
  });

  it("scans a new branch's own commits, not the default branch it started from", async () => {
    const [mainKey, branchKey] = [openaiKey(), openaiKey()];
    const origin = makeTempRepo();
    origin.commit("start", { "README.md": "# app\n" });
    origin.commit("an old leak on main", { "old.env": `OPENAI_API_KEY=${mainKey}\n` });
    origin.git("checkout", "-q", "-b", "topic");
    origin.commit("topic work", { "src/b.ts": "export const b = 2;\n" });
    const after = origin.commit("topic config", { "topic.env": `OPENAI_API_KEY=${branchKey}\n` });

    const github = await standInGithub();
    const result = await runBundledAction({
      action,
      workspace: shallowCheckout(origin.dir, "topic"),
      eventName: "push",
      payload: pushPayload("refs/heads/topic", ZERO, after),
      apiUrl: github.url,
      sha: after,
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.findings).toBe("1");
    expect(result.stdout).toMatch(/^::error file=topic\.env,line=1,/m);
    expect(result.stdout).not.toContain("old.env");
  });

  it("scans the commit an annotated tag's push names, by its commit id", async () => {
    const key = openaiKey();
    const origin = makeTempRepo();
    const before = origin.commit("start", { "README.md": "# app\n" });
    const tagged = origin.commit("release config", { "app.env": `OPENAI_API_KEY=${key}\n` });
    origin.git("tag", "-a", "v1", "-m", "release 1");
    const tagObject = origin.git("rev-parse", "v1");
    const github = await standInGithub();
    const workspace = fullCheckout(origin, "main");
    const result = await runBundledAction({
      action,
      workspace,
      eventName: "push",
      payload: pushPayload("refs/tags/v1", before, tagObject),
      apiUrl: github.url,
      sha: tagged,
      inputs: { "sarif-file": "out/k.sarif" },
    });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toContain(`(commits ${before.slice(0, 12)}..${tagged.slice(0, 12)})`);
    const sarif = JSON.parse(readFileSync(join(workspace, "out/k.sarif"), "utf8"));
    expect(sarif.runs[0].versionControlProvenance[0].revisionId).toBe(tagged);
  });

  it("refuses a sarif-file it cannot write before scanning or commenting", async () => {
    const result = await pushToOneCommitRepo((head) => pushPayload("refs/heads/main", ZERO, head), {
      "sarif-file": "README.md/k.sarif",
    });
    expect(result.exitCode).toBe(2);
    expect(loggedLines(result.stdout)).toEqual([
      "::error::keywarden: input sarif-file README.md/k.sarif: cannot write the SARIF file (README.md is not a directory)",
      "",
    ]);
  });

  it("does nothing for a deleted branch", async () => {
    const result = await pushToOneCommitRepo((head) => pushPayload("refs/heads/gone", head, ZERO));
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ findings: "0", "exit-code": "0" });
    expect(result.summary).toContain("the push deleted a branch");
  });
});

describe("the Action on a schedule or by hand", () => {
  it("scans the whole history of every branch", async () => {
    const [removedKey, branchKey, replacedKey, keptKey] = [
      openaiKey(),
      openaiKey(),
      openaiKey(),
      openaiKey(),
    ];
    const origin = makeTempRepo();
    origin.commit("start", { "README.md": "# app\n" });
    const leak = origin.commit("leak", {
      "old.env": `OPENAI_API_KEY=${removedKey}\n`,
      "app.js": `const key = "${replacedKey}";\n`,
      "keep.env": `OPENAI_API_KEY=${keptKey}\n`,
    });
    origin.git("rm", "-q", "old.env");
    origin.commit("remove the leak", {
      "app.js": "const key = process.env.OPENAI_API_KEY;\n",
      "keep.env": `# still here, one line down\nOPENAI_API_KEY=${keptKey}\n`,
    });
    origin.git("checkout", "-q", "-b", "experiment");
    origin.commit("experiment", { "exp.env": `OPENAI_API_KEY=${branchKey}\n` });
    origin.git("checkout", "-q", "main");
    const workspace = fullCheckout(origin, "main");

    const github = await standInGithub();
    const result = await runBundledAction({
      action,
      workspace,
      eventName: "schedule",
      payload: { schedule: "0 3 * * *" },
      apiUrl: github.url,
      inputs: { "fail-on": "none" },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ findings: "4", "exit-code": "0" });
    // The runner shows annotations on the checked-out commit: a key is annotated on a line only
    // where that commit still holds it; the others are named by place and commit.
    const annotated = result.stdout.match(/^::error file=[^,]+,line=\d+,/gm);
    expect(annotated).toEqual(["::error file=keep.env,line=2,"]);
    const short = leak.slice(0, 12);
    expect(result.stdout).toMatch(
      new RegExp(
        `^::error title=[^:]+::Secret sk-proj-\\S+ at app\\.js:1 in commit ${short}, not in the checked-out commit but in the history\\.`,
        "m",
      ),
    );
    expect(result.stdout).toMatch(
      /^::error title=[^:]+::Secret sk-proj-\S+ at old\.env:1 in commit /m,
    );
    expect(result.stdout).toMatch(
      /^::error title=[^:]+::Secret sk-proj-\S+ at exp\.env:1 in commit /m,
    );
    expect(result.summary).toContain("the full history of every branch");
    const sarif = JSON.parse(readFileSync(join(workspace, "keywarden.sarif"), "utf8"));
    expect(sarif.runs[0].results).toHaveLength(4);
    expect(github.server.requests).toEqual([]);

    const range = await runBundledAction({
      action,
      workspace,
      eventName: "workflow_dispatch",
      payload: { inputs: {} },
      apiUrl: github.url,
      inputs: { scan: "range" },
    });
    expect(range.exitCode).toBe(2);
    expect(range.stdout).toContain("::error::keywarden: input scan: range needs a pull_request");
  });
});

describe("the committed Action bundle", () => {
  it("is what a fresh build of the sources makes", () => {
    const dir = makeTempDir();
    const fresh = join(dir, "index.js");
    execFileSync(process.execPath, ["scripts/build-action.mjs", "--outfile", fresh], {
      cwd: REPO_ROOT,
      stdio: "pipe",
    });
    const committed = readFileSync(join(REPO_ROOT, "dist/action/index.js"));
    // Not toEqual on buffers: a mismatch would print megabytes.
    const same = Buffer.compare(committed, readFileSync(fresh)) === 0;
    expect(same, "dist/action/index.js is stale: run npm run build:action and commit it").toBe(
      true,
    );
  });
});
