import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../src/engine/fingerprint.js";
import { runCli } from "../helpers/run-cli.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";
import {
  fullCheckout,
  git,
  loggedLines,
  makePullRequestRepo,
  openaiKey,
  type PullRequestRepo,
  pullRequestPayload,
  shallowPullRequestCheckout,
  standInGithub,
} from "./action-fixtures.js";
import { type ActionCopy, copyAction, runBundledAction } from "./run-bundled-action.js";

let action: ActionCopy;
beforeAll(() => {
  action = copyAction();
});
afterAll(() => action.remove());

/**
 * The bundled Action on a pull request of `repo`, answered by `apiUrl`: by default from a
 * shallow checkout as actions/checkout makes one, on the pull_request event.
 */
function runOnPullRequest(
  repo: PullRequestRepo,
  apiUrl: string,
  options: {
    readonly payload?: Parameters<typeof pullRequestPayload>[1];
    readonly workspace?: string;
    readonly eventName?: string;
    readonly inputs?: Readonly<Record<string, string>>;
  } = {},
) {
  return runBundledAction({
    action,
    workspace: options.workspace ?? shallowPullRequestCheckout(repo.origin),
    eventName: options.eventName ?? "pull_request",
    payload: pullRequestPayload(repo, options.payload),
    apiUrl,
    ...(options.inputs ? { inputs: options.inputs } : {}),
  });
}

describe("the Action on a pull request", () => {
  it("comments on each leaking line of the diff, summarises the rest, and updates on re-runs", async () => {
    const [prodKey, clientKey, scratchKey] = [openaiKey(), openaiKey(), openaiKey()];
    const repo = makePullRequestRepo({ "README.md": "# app\n", "src/app.ts": "export {};\n" }, [
      {
        message: "production config",
        files: { "config/prod.env": `# production\nAPP_NAME=demo\nOPENAI_API_KEY=${prodKey}\n` },
      },
      {
        message: "client and scratch notes",
        files: {
          "src/client.ts": `import OpenAI from "openai";\nconst client = new OpenAI({ apiKey: "${clientKey}" });\nexport default client;\n`,
          "scratch.txt": `try this one: ${scratchKey}\n`,
        },
      },
      { message: "drop scratch notes", files: {}, remove: ["scratch.txt"] },
    ]);
    const github = await standInGithub();
    const run = () => runOnPullRequest(repo, github.url, { payload: { commits: 3 } });

    const first = await run();
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(1);
    expect(first.outputs).toEqual({
      findings: "3",
      live: "0",
      "sarif-file": "keywarden.sarif",
      "exit-code": "1",
    });

    // One review comment per leaking line of the diff, on the head commit, right side.
    const placed = github.reviewComments.map(({ path, line, side, commit_id }) => ({
      path,
      line,
      side,
      commit_id,
    }));
    expect(placed.sort((a, b) => a.path!.localeCompare(b.path!))).toEqual([
      { path: "config/prod.env", line: 3, side: "RIGHT", commit_id: repo.head },
      { path: "src/client.ts", line: 2, side: "RIGHT", commit_id: repo.head },
    ]);
    const prodComment = github.reviewComments.find((c) => c.path === "config/prod.env")!;
    expect(prodComment.body).toMatch(/^<!-- keywarden:review /);
    expect(prodComment.body).toContain("openai-project-key");
    expect(prodComment.body).toContain("provider `openai`");
    expect(prodComment.body).toContain("Verification: not verified");
    expect(prodComment.body).toContain(prodKey.slice(0, 12));
    // The key added and removed again within the pull request is on no line of the diff.
    expect(github.issueComments).toHaveLength(1);
    expect(github.issueComments[0]!.body).toContain("scratch.txt");
    expect(github.issueComments[0]!.body).toContain("outside the diff");
    // Its annotation names its place in the history, not a line of the head that holds other text.
    expect(first.stdout).not.toMatch(/^::\w+ file=scratch\.txt/m);
    expect(first.stdout).toMatch(
      /^::error title=.*::Secret sk-proj-\S+ at scratch\.txt:1 in commit [0-9a-f]{12}, no longer in the head/m,
    );

    // No secret reaches the log, the comments, the summary or the SARIF file in full.
    const everything = [
      loggedLines(first.stdout).join("\n"),
      first.summary,
      ...github.server.requests.map((r) => r.body),
    ].join("\n");
    for (const key of [prodKey, clientKey, scratchKey]) {
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(key.slice(20, 60));
    }
    // Every key is masked before any other line is written.
    const lines = first.stdout.split("\n");
    const firstOther = lines.findIndex((line) => line !== "" && !line.startsWith("::add-mask::"));
    for (const key of [prodKey, clientKey, scratchKey]) {
      const masked = lines.indexOf(`::add-mask::${key}`);
      expect(masked).toBeGreaterThanOrEqual(0);
      expect(masked).toBeLessThan(firstOther);
    }

    // Annotations on the lines, and a job summary table.
    expect(first.stdout).toMatch(/^::error file=config\/prod\.env,line=3,/m);
    expect(first.stdout).toMatch(/^::error file=src\/client\.ts,line=2,/m);
    expect(first.summary).toContain("| File | Line | Rule | Provider | Status |");
    expect(first.summary).toMatch(
      /\| `config\/prod\.env` \| 3 \| `openai-project-key` \| openai \| not verified \|/,
    );
    expect(first.summary).toMatch(/\| `scratch\.txt` \| 1 \| `openai-project-key` \| openai \|/);
    expect(first.summary).toContain("3 added, 0 updated, 0 marked resolved");

    // The SARIF file is valid SARIF 2.1.0, with the findings at their place in the change.
    const workspaceRun = shallowPullRequestCheckout(repo.origin);
    const sarifRun = await runOnPullRequest(repo, github.url, {
      workspace: workspaceRun,
      payload: { commits: 3 },
      inputs: { comment: "false", "sarif-file": "reports/keywarden.sarif" },
    });
    expect(sarifRun.outputs["sarif-file"]).toBe("reports/keywarden.sarif");
    const sarif = JSON.parse(readFileSync(join(workspaceRun, "reports/keywarden.sarif"), "utf8"));
    expect(sarifSchemaErrors(sarif)).toBeUndefined();
    const results = sarif.runs[0].results as {
      ruleId: string;
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
      }[];
    }[];
    expect(
      results
        .map(
          (r) =>
            `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`,
        )
        .sort(),
    ).toEqual(["config/prod.env:3", "scratch.txt:1", "src/client.ts:2"]);
    expect(JSON.stringify(sarif)).not.toContain(prodKey);

    // A second run on the same commit finds its comments already up to date: it writes nothing.
    github.server.clearLog();
    const second = await run();
    expect(second.exitCode).toBe(1);
    expect(github.writes()).toEqual([]);
    expect(github.reviewComments).toHaveLength(2);
    expect(github.issueComments).toHaveLength(1);
    expect(second.summary).toContain("0 added, 0 updated, 0 marked resolved");

    // The key in src/client.ts is replaced: its comment is marked resolved, and since the key
    // stays in the branch's history it moves to the summary comment.
    repo.push("load the key from the environment", {
      "src/client.ts": `import OpenAI from "openai";\nconst client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\nexport default client;\n`,
    });
    github.server.clearLog();
    const third = await runOnPullRequest(repo, github.url, { payload: { commits: 4 } });
    expect(third.exitCode).toBe(1);
    expect(github.reviewComments).toHaveLength(2);
    const clientComment = github.reviewComments.find((c) => c.path === "src/client.ts")!;
    expect(clientComment.body).toContain("state=resolved");
    expect(clientComment.body).toContain("keywarden: resolved");
    expect(github.reviewComments.find((c) => c.path === "config/prod.env")!.body).toContain(
      "state=open",
    );
    expect(github.issueComments).toHaveLength(1);
    expect(github.issueComments[0]!.body).toContain("src/client.ts");
    // The prod.env comment says what it said: only the summary comment and the resolved one change.
    expect(third.summary).toContain("0 added, 1 updated, 1 marked resolved");
  });

  it("reads the config from the base commit: a pull request cannot allowlist its own key", async () => {
    const key = openaiKey();
    const ruleFingerprint = fingerprint("openai-project-key", key);
    const repo = makePullRequestRepo(
      { "README.md": "# app\n", ".keywarden.yaml": "exclude:\n  - vendor/**\n" },
      [
        {
          message: "production config, and quiet the scanner",
          files: {
            "config/prod.env": `OPENAI_API_KEY=${key}\n`,
            ".keywarden.yaml": [
              "exclude:",
              "  - vendor/**",
              "  - config/**",
              "disable:",
              "  - openai-project-key",
              "allow:",
              "  paths:",
              "    - config/**",
              "",
            ].join("\n"),
            ".keywardenignore": `${ruleFingerprint} test fixture\n`,
          },
        },
      ],
    );
    // With the pull request's own config the key would pass unseen.
    const workspace = fullCheckout(repo.origin, repo.head);
    const cli = await runCli(
      ["history", "--range", `${repo.base}..${repo.head}`, "--format", "json"],
      {
        cwd: workspace,
      },
    );
    expect(cli.exitCode).toBe(0);

    const github = await standInGithub();
    const result = await runOnPullRequest(repo, github.url, { workspace });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.findings).toBe("1");
    expect(github.reviewComments.map((c) => `${c.path}:${c.line}`)).toEqual(["config/prod.env:1"]);
    expect(result.summary).toContain("from base commit");
    expect(result.summary).toContain(".keywarden.yaml");
    expect(result.summary).toContain(".keywardenignore");
    expect(result.stdout).not.toContain("does not exist");

    // A `config` input naming no file there is said aloud, not only in a log group's title.
    const typo = await runOnPullRequest(repo, github.url, {
      workspace,
      inputs: { config: ".keywarden.yml" },
    });
    expect(typo.stdout).toMatch(
      /^::warning::keywarden: built-in rules: \.keywarden\.yml does not exist at base commit /m,
    );
  });

  it("falls back to annotations and the job summary when the token may not write (a fork)", async () => {
    const key = openaiKey();
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      { message: "config", files: { "app.env": `NAME=demo\nOPENAI_API_KEY=${key}\n` } },
    ]);
    const github = await standInGithub(true);
    const run = () => runOnPullRequest(repo, github.url, { payload: { fork: true } });
    const result = await run();
    // Fails for the key (fail-on: any), not for the comments.
    expect(result.exitCode).toBe(1);
    expect(result.outputs["exit-code"]).toBe("1");
    expect(github.writes().length).toBeGreaterThan(0);
    expect(github.writes().every((r) => r.route !== undefined)).toBe(true);
    expect(github.reviewComments).toEqual([]);
    expect(github.issueComments).toEqual([]);
    expect(result.stdout).toMatch(
      /^::warning::keywarden: pull-request comments not written: .*HTTP 403/m,
    );
    expect(result.stdout).toMatch(/^::error file=app\.env,line=2,/m);
    expect(result.summary).toMatch(
      /\| `app\.env` \| 2 \| `openai-project-key` \| openai \| not verified \|/,
    );
    expect(result.summary).toContain("Pull-request comments not written");
    expect(loggedLines(result.stdout).join("\n")).not.toContain(key);

    // Nothing answers at all: said as such, not as an HTTP error.
    await github.close();
    const unreachable = await run();
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stdout).toMatch(
      /^::warning::keywarden: pull-request comments not written: cannot reach the GitHub API: /m,
    );
  });

  it("says a spent API rate limit is one, not a fork's read-only token", async () => {
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      { message: "config", files: { "app.env": `OPENAI_API_KEY=${openaiKey()}\n` } },
    ]);
    const github = await standInGithub();
    github.setRateLimited(new Date(Date.UTC(2030, 0, 1, 14, 5)));
    const result = await runOnPullRequest(repo, github.url, { inputs: { "sarif-file": "" } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^::warning::keywarden: pull-request comments not written: GitHub's API rate limit for this token is spent \(HTTP 403: API rate limit exceeded.*; it resets at 14:05 UTC\./m,
    );
    expect(result.stdout).not.toContain("fork");
    expect(result.summary).not.toContain("fork");
    expect(github.reviewComments).toEqual([]);
  });

  it("leaves alone comments someone else wrote with the Action's markers", async () => {
    const key = openaiKey();
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      { message: "added then removed", files: { "notes.txt": `try ${key}\n` } },
      { message: "clean up", files: {}, remove: ["notes.txt"] },
    ]);
    const github = await standInGithub();
    // Anyone may type the summary's marker, to have the Action write into their comment.
    const forged = "<!-- keywarden:summary v=1 -->\nNo secrets here.";
    const mallory = { login: "mallory", type: "User" };
    github.issueComments.push({ id: 1, body: forged, user: mallory });
    const result = await runOnPullRequest(repo, github.url, { payload: { commits: 2 } });
    expect(result.exitCode).toBe(1);
    expect(github.issueComments[0]).toEqual({ id: 1, body: forged, user: mallory });
    expect(github.issueComments).toHaveLength(2);
    expect(github.issueComments[1]?.body).toContain("keywarden:summary");
  });

  it("leaves another app's bot comments alone and keeps commenting", async () => {
    const key = openaiKey();
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      { message: "config", files: { "app.env": `OPENAI_API_KEY=${key}\n` } },
    ]);
    const github = await standInGithub();
    const renovate = { login: "renovate[bot]", type: "Bot" };
    const theirs = [
      { id: 1, body: "<!-- keywarden:summary v=1 -->\nRenovate's notes", user: renovate },
    ];
    github.issueComments.push(...theirs.map((c) => ({ ...c })));
    github.reviewComments.push({
      id: 2,
      body: "<!-- keywarden:review v=1 state=open path=old.js line=9 fingerprints=deadbeef -->\nnot ours",
      path: "old.js",
      line: 9,
      user: renovate,
    });
    const result = await runOnPullRequest(repo, github.url);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain("comments not written");
    expect(github.issueComments).toEqual(theirs);
    expect(github.reviewComments[0]?.body).toContain("not ours");
    expect(github.reviewComments.slice(1).map((c) => `${c.path}:${c.line}`)).toEqual(["app.env:1"]);
    // Known by the comment it wrote, it no longer tries the other app's.
    expect(github.writes().map((r) => r.method)).toEqual(["POST"]);
  });

  it("keeps its own comment open when another app's copy of it comes first", async () => {
    const key = openaiKey();
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      { message: "config", files: { "app.env": `OPENAI_API_KEY=${key}\n` } },
    ]);
    const github = await standInGithub();
    expect((await runOnPullRequest(repo, github.url)).exitCode).toBe(1);
    const ours = github.reviewComments[0]!;
    const firstBody = ours.body;
    const copy = { ...ours, id: 1, user: { login: "other-app[bot]", type: "Bot" } };
    github.reviewComments.unshift(copy);
    const again = await runOnPullRequest(repo, github.url);
    expect(again.exitCode).toBe(1);
    expect(github.reviewComments).toHaveLength(2);
    expect(ours.body).toBe(firstBody);
    expect(ours.body).toContain("state=open");
    expect(github.reviewComments[0]).toEqual(copy);
  });

  it("annotates each line with the finding made on it when two rules found one password", async () => {
    const password = randomBytes(18).toString("base64url");
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      {
        message: "database",
        files: {
          "app.env": `A=1\nDB_PASSWORD="${password}"\nB=2\nDATABASE_URL=postgres://admin:${password}@db.internal:5432/app\n`,
        },
      },
    ]);
    const github = await standInGithub();
    const result = await runOnPullRequest(repo, github.url, { inputs: { comment: "false" } });
    const annotated = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("::error file=") || line.startsWith("::warning file="))
      .map((line) => /file=([^,]+),line=(\d+),.*title=([^:]*)::/.exec(line)?.slice(1, 4).join(":"));
    expect(annotated).toHaveLength(2);
    expect(annotated[0]).toMatch(/^app\.env:2:/);
    expect(annotated[1]).toMatch(/^app\.env:4:Password in a connection URI/);
    expect(annotated[0]).not.toContain("connection URI");
  });

  it("scans a head that shares no history with its base whole, and says so", async () => {
    const key = openaiKey();
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, []);
    repo.origin.git("checkout", "-q", "--orphan", "unrelated");
    repo.origin.git("rm", "-q", "-rf", ".");
    const head = repo.push("another history", { "src/app.env": `OPENAI_API_KEY=${key}\n` });
    const github = await standInGithub();
    const result = await runOnPullRequest(repo, github.url, {
      workspace: fullCheckout(repo.origin, head),
      inputs: { comment: "false" },
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.findings).toBe("1");
    expect(result.stdout).toMatch(/^::error file=src\/app\.env,line=1,/m);
    expect(result.stdout).toContain("shares no history with its base");
  });

  it("fails with exit code 2, resolving nothing, when a shallow checkout cannot be deepened", async () => {
    const key = openaiKey();
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      { message: "key", files: { "app.env": `OPENAI_API_KEY=${key}\n` } },
      { message: "docs", files: { "docs/a.md": "hello\n" } },
    ]);
    const github = await standInGithub();
    const first = await runOnPullRequest(repo, github.url, {
      payload: { commits: 2 },
      workspace: fullCheckout(repo.origin, repo.head),
    });
    expect(first.exitCode).toBe(1);
    expect(github.reviewComments).toHaveLength(1);
    const writes = github.writes().length;

    // fetch-depth: 2 reaches the base and head but not the commit that adds the key, and the
    // origin cannot be fetched from again (persist-credentials: false on a private repository).
    const workspace = shallowPullRequestCheckout(repo.origin, 2);
    git(workspace, "remote", "set-url", "origin", `file://${workspace}/gone`);
    const result = await runOnPullRequest(repo, github.url, {
      payload: { commits: 2 },
      workspace,
    });
    expect(result.exitCode).toBe(2);
    expect(result.outputs).toMatchObject({ findings: "0", "exit-code": "2" });
    expect(result.stdout).toMatch(
      /^::error::keywarden: incomplete scan: 1 file or object could not be read/m,
    );
    expect(result.stdout).toContain("do not meet in this shallow checkout");
    expect(result.stdout).not.toContain("shares no history");
    expect(result.summary).toContain("**Incomplete scan**");
    expect(result.summary).not.toContain("No secrets found in pull request");
    // The key is still in the pull request: its review comment stays open.
    expect(github.writes()).toHaveLength(writes);
    expect(github.reviewComments[0]!.body).toContain("state=open");
  });

  it("refuses a base commit holding both .keywarden.yaml and .keywarden.yml", async () => {
    const repo = makePullRequestRepo(
      {
        "README.md": "# app\n",
        ".keywarden.yaml": "disable: [openai-project-key]\n",
        ".keywarden.yml": "exclude: [docs]\n",
      },
      [{ message: "config", files: { "app.env": `OPENAI_API_KEY=${openaiKey()}\n` } }],
    );
    const github = await standInGithub();
    const result = await runOnPullRequest(repo, github.url, { inputs: { comment: "false" } });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(
      /^::error::keywarden: \.keywarden\.yaml and \.keywarden\.yml at base commit [0-9a-f]{12}: two config files in one folder; keep one/m,
    );
  });

  it("warns on each file too large to scan, on the file itself", async () => {
    const key = openaiKey();
    const padded = `OPENAI_API_KEY=${key}\n${"# padding\n".repeat(300)}`;
    const repo = makePullRequestRepo(
      { "README.md": "# app\n", ".keywarden.yaml": "maxFileSize: 1KB\n" },
      [{ message: "a big file", files: { "data/big.env": padded } }],
    );
    const github = await standInGithub();
    const result = await runOnPullRequest(repo, github.url, { inputs: { comment: "false" } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^::warning file=data\/big\.env,title=Not scanned for secrets::keywarden: not scanned: data\/big\.env \(\d+ bytes added, over the 1024-byte limit/m,
    );
  });

  it("scans a pull request's range with the base's config on review events too", async () => {
    const key = openaiKey();
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      {
        message: "key, and the rules off",
        files: { "app.env": `OPENAI_API_KEY=${key}\n`, ".keywarden.yaml": "useDefault: false\n" },
      },
    ]);
    const github = await standInGithub();
    for (const eventName of ["pull_request_review", "pull_request_review_comment"]) {
      const result = await runOnPullRequest(repo, github.url, {
        eventName,
        inputs: { comment: "false" },
      });
      expect(result.exitCode, eventName).toBe(1);
      expect(result.stdout, eventName).toMatch(/^::error file=app\.env,line=1,/m);
      expect(result.summary, eventName).toContain("this change edits .keywarden.yaml");
    }
  });

  it("exits per fail-on, and passes a clean pull request without posting anything", async () => {
    const key = openaiKey();
    const leaking = makePullRequestRepo({ "README.md": "# app\n" }, [
      { message: "config", files: { "app.env": `OPENAI_API_KEY=${key}\n` } },
    ]);
    const github = await standInGithub();
    const tolerant = await runOnPullRequest(leaking, github.url, {
      inputs: { "fail-on": "none", comment: "false" },
    });
    expect(tolerant.exitCode).toBe(0);
    expect(tolerant.outputs).toMatchObject({ findings: "1", "exit-code": "0" });
    expect(github.server.requests).toEqual([]);

    const clean = makePullRequestRepo({ "README.md": "# app\n" }, [
      {
        message: "docs",
        files: { "docs/setup.md": "Set OPENAI_API_KEY=sk-proj-... in your shell.\n" },
      },
    ]);
    const result = await runOnPullRequest(clean, github.url, { eventName: "pull_request_target" });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ findings: "0", live: "0", "exit-code": "0" });
    expect(github.writes()).toEqual([]);
    expect(result.summary).toContain("No secrets found in pull request #7");
  });

  it("rejects a bad input with one error line and exit code 2", async () => {
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      { message: "docs", files: { "docs/a.md": "hello\n" } },
    ]);
    const result = await runOnPullRequest(repo, "http://127.0.0.1:9", {
      inputs: { "fail-on": "sometimes" },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe(
      '::error::keywarden: input fail-on: "sometimes" is not one of any, live, none\n',
    );
    expect(result.outputs["exit-code"]).toBe("2");
  });
});
