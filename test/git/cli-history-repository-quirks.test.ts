import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportFinding } from "../../src/types.js";
import { GIT_ENV, makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";
import { plantedKey } from "./helpers.js";

/**
 * `keywarden history` on repositories whose config, refs or objects are unusual: each case is
 * one a plain clone can hold, and each once hid a key or stopped the walk.
 */

interface JsonReport {
  readonly findings: ReportFinding[];
}

async function historyFindings(cwd: string, ...args: string[]) {
  const result = await runCli(["history", "--format", "json", "--no-redact", ...args], { cwd });
  const report = result.stdout ? (JSON.parse(result.stdout) as JsonReport) : undefined;
  return { ...result, findings: report?.findings ?? [] };
}

/** Writes a commit object as given (`git commit` refuses odd author lines) and puts main on it. */
function writeRawCommit(repo: TempRepo, author: string): string {
  const tree = repo.git("write-tree");
  const body = `tree ${tree}\nauthor ${author}\ncommitter C <c@example.test> 1700000000 +0000\n\nimported\n`;
  const commit = execFileSync(
    "git",
    ["hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
    {
      cwd: repo.dir,
      env: { ...process.env, ...GIT_ENV },
      input: body,
      encoding: "utf8",
    },
  ).trim();
  repo.git("update-ref", "refs/heads/main", commit);
  return commit;
}

/** Stages everything and commits it at this date (author and committer). */
function commitAt(repo: TempRepo, date: string, message: string, ...options: string[]): string {
  repo.git("add", "-A");
  execFileSync("git", ["commit", "-q", "-m", message, ...options], {
    cwd: repo.dir,
    env: { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
  return repo.git("rev-parse", "HEAD");
}

describe("keywarden history on unusual repositories", () => {
  it("reads paths from the repository's top from a subfolder, whatever diff.relative says", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    const commit = repo.commit("one", { "sub/x.txt": "x\n", "top.env": `KEY=${key}\n` });
    repo.git("config", "diff.relative", "true");
    const { exitCode, findings } = await historyFindings(join(repo.dir, "sub"));
    expect(exitCode).toBe(1);
    expect(findings.map((f) => [f.secret, f.path, f.commit])).toEqual([[key, "top.env", commit]]);
  });

  it("walks past a legacy info/grafts file that cuts a commit off from its real parents", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    repo.commit("base", { "f.txt": "base\n" });
    const leak = repo.commit("leak", { "k.env": `KEY=${key}\n` });
    repo.git("rm", "-q", "k.env");
    const clean = repo.commit("clean");
    writeFileSync(join(repo.dir, ".git", "info", "grafts"), `${clean}\n`);
    const { exitCode, findings, stderr } = await historyFindings(repo.dir);
    expect(stderr).toBe("");
    expect(exitCode).toBe(1);
    expect(findings.map((f) => [f.secret, f.commit])).toEqual([[key, leak]]);
  });

  it("walks past a commit dated before 1970 west of UTC, and dates it", async () => {
    const [old, later] = [plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    repo.write({ "a-old.env": `KEY=${old}\n` });
    repo.git("add", "-A");
    execFileSync("git", ["commit", "-q", "-m", "old import"], {
      cwd: repo.dir,
      env: { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: "@1 -1200" },
    });
    repo.commit("later", { "b-new.env": `KEY=${later}\n` });
    const { exitCode, findings } = await historyFindings(repo.dir);
    expect(exitCode).toBe(1);
    expect(findings.map((f) => [f.secret, f.date])).toEqual([
      [old, "1969-12-31T12:00:01-12:00"],
      [later, "2026-01-02T03:04:05+00:00"],
    ]);
  });

  it("keeps each attribution field whole when an author holds control bytes", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    repo.write({ "k.env": `KEY=${key}\n` });
    repo.git("add", "-A");
    const commit = writeRawCommit(repo, "Evil\x01\x02Name <x\x02y@example.test> 1700000000 +0000");
    const { findings } = await historyFindings(repo.dir);
    expect(findings.map((f) => [f.commit, f.author, f.email, f.date])).toEqual([
      [commit, "Evil\x01\x02Name", "x\x02y@example.test", "2023-11-14T22:13:20+00:00"],
    ]);
  });

  it("leaves author and date empty, not git's placeholders, for an author line git cannot read", async () => {
    const repo = makeTempRepo();
    repo.write({ "k.env": `KEY=${plantedKey()}\n` });
    repo.git("add", "-A");
    writeRawCommit(repo, "NoMail 1700000000 +0000");
    const { findings } = await historyFindings(repo.dir);
    expect(findings.map((f) => [f.author, f.email, f.date])).toEqual([["", "", ""]]);
  });

  it("keeps a newline that starts a file name", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "\nlead.env": `KEY=${plantedKey()}\n` });
    const { findings } = await historyFindings(repo.dir);
    expect(findings.map((f) => f.path)).toEqual(["\nlead.env"]);
  });

  it("names authors as the repository's .mailmap does, as git log shows them", async () => {
    const repo = makeTempRepo();
    repo.commit("one", {
      ".mailmap": "Jane Doe <jane@example.test> <ada@example.test>\n",
      "k.env": `KEY=${plantedKey()}\n`,
    });
    const { findings } = await historyFindings(repo.dir);
    expect(findings.map((f) => [f.author, f.email])).toEqual([["Jane Doe", "jane@example.test"]]);
  });

  it("reads a blob a tag of a tag names, and one tagged in a repository without commits", async () => {
    const [nested, alone] = [plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    const blob = (text: string) =>
      execFileSync("git", ["hash-object", "-w", "--stdin"], {
        cwd: repo.dir,
        input: text,
        encoding: "utf8",
      }).trim();
    repo.git("tag", "-a", "alone", "-m", "a key", blob(`KEY=${alone}\n`));
    const onlyTag = await historyFindings(repo.dir);
    expect(onlyTag.stderr).toBe("");
    expect(onlyTag.findings.map((f) => [f.secret, f.path])).toEqual([[alone, "refs/tags/alone"]]);

    repo.commit("base", { "f.txt": "base\n" });
    repo.git("tag", "-a", "inner", "-m", "inner", blob(`KEY=${nested}\n`));
    repo.git("-c", "advice.nestedTag=false", "tag", "-a", "outer", "-m", "outer", "inner");
    repo.git("tag", "-d", "inner");
    const { findings } = await historyFindings(repo.dir);
    expect(findings.map((f) => [f.secret, f.path]).sort()).toEqual(
      [
        [alone, "refs/tags/alone"],
        [nested, "refs/tags/outer"],
      ].sort(),
    );
  });

  it("skips LFS pointers as the spec writes them, and reads a file shaped like one holding a key", async () => {
    const key = plantedKey();
    const pointer = (extension: string) =>
      `version https://git-lfs.github.com/spec/v1\n${extension}oid sha256:${"ab".repeat(32)}\nsize 12\n`;
    const repo = makeTempRepo();
    repo.commit("pointers", {
      "real.bin": pointer(`ext-0-foo sha256:${"cd".repeat(32)}\n`),
      "fake.bin": pointer(`ext-0-token ${key}\n`),
    });
    const result = await runCli(["history", "--format", "json", "--no-redact", "--verbose"], {
      cwd: repo.dir,
    });
    const report = JSON.parse(result.stdout) as JsonReport & {
      summary: { skipped: { path: string; reason: string }[] };
    };
    expect(report.findings.map((f) => [f.secret, f.path])).toEqual([[key, "fake.bin"]]);
    expect(report.summary.skipped.map((s) => [s.path, s.reason])).toEqual([
      ["real.bin", "lfs-pointer"],
    ]);
  });

  it("with --since, leaves out a key from before that an in-window merge or rename carries", async () => {
    const [merged, moved, added] = [plantedKey(), plantedKey(), plantedKey()];
    const lines = Array.from({ length: 20 }, (_, index) => `line ${index}`);
    const repo = makeTempRepo();
    repo.write({ "f.txt": `${lines.join("\n")}\n`, "old.cfg": `KEY=${moved}\n` });
    commitAt(repo, "2020-01-01T00:00:00Z", "base");
    repo.git("checkout", "-q", "-b", "side");
    repo.write({ "f.txt": `KEY=${merged}\n${lines.slice(1).join("\n")}\n` });
    commitAt(repo, "2020-01-02T00:00:00Z", "old key on side");
    repo.git("checkout", "-q", "main");
    repo.write({ "f.txt": `${lines.slice(0, -1).join("\n")}\nrecent\n` });
    commitAt(repo, "2024-06-01T00:00:00Z", "recent edit");
    repo.git("merge", "-q", "--no-commit", "side");
    commitAt(repo, "2024-06-02T00:00:00Z", "merge side");
    repo.git("mv", "old.cfg", "new.cfg");
    commitAt(repo, "2024-06-03T00:00:00Z", "rename");
    repo.git("mv", "new.cfg", "renamed-and-edited.cfg");
    repo.write({ "renamed-and-edited.cfg": `KEY=${moved}\nNEW=${added}\n` });
    const last = commitAt(repo, "2024-06-04T00:00:00Z", "rename and edit");
    const { findings } = await historyFindings(repo.dir, "--since", "2023-01-01");
    expect(findings.map((f) => [f.secret, f.commit, f.path])).toEqual([
      [added, last, "renamed-and-edited.cfg"],
    ]);
    const all = await historyFindings(repo.dir);
    expect(all.findings.map((f) => f.secret).sort()).toEqual([merged, moved, added].sort());
  });

  it("reports a key copied out of a place the config allows, at the copy", async () => {
    const [fixture, inCommit] = [plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    const allowed = repo.commit("fixtures", {
      "test/fixtures/x.env": `KEY=${fixture}\n`,
      "a.env": `KEY=${inCommit}\n`,
    });
    repo.commit("another fixture", { "test/fixtures/y.env": `KEY=${fixture}\n` });
    const copied = repo.commit("copies", {
      "src/config.env": `KEY=${fixture}\n`,
      "b.env": `KEY=${inCommit}\n`,
    });
    repo.commit("yet another fixture", { "test/fixtures/z.env": `KEY=${fixture}\n` });
    repo.write({
      ".keywarden.yaml": `allow:\n  paths: ["test/fixtures/**"]\n  commits: ["${allowed.slice(0, 12)}"]\n`,
    });
    const { findings } = await historyFindings(repo.dir);
    expect(
      findings.map((f) => [f.secret, f.path, f.commit, f.occurrences?.map((o) => o.path)]).sort(),
    ).toEqual(
      [
        [fixture, "src/config.env", copied, ["src/config.env"]],
        [inCommit, "b.env", copied, ["b.env"]],
      ].sort(),
    );
  });
});
