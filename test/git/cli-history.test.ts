import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportFinding } from "../../src/types.js";
import { GIT_ENV, makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { BIN, runCli } from "../helpers/run-cli.js";
import { plantedKey } from "./helpers.js";

interface JsonReport {
  readonly findings: ReportFinding[];
  readonly summary: {
    readonly source: string;
    readonly skipped: { path: string; reason: string }[];
  };
}

async function historyJson(cwd: string, ...args: string[]) {
  const result = await runCli(["history", "--format", "json", "--no-redact", ...args], { cwd });
  return {
    ...result,
    report: result.stdout ? (JSON.parse(result.stdout) as JsonReport) : undefined,
  };
}

describe("keywarden history", () => {
  it("reports every key with the commit that added it: deleted, side branch, merge, renamed", async () => {
    const keys = {
      deleted: plantedKey(),
      side: plantedKey(),
      merge: plantedKey(),
      renamed: plantedKey(),
    };
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "project\n", "conf/app.env": "NAME=x\n" });
    const deleted = repo.commit("add a key", { "secrets.env": `LLAMA_API_KEY=${keys.deleted}\n` });
    repo.git("rm", "-q", "secrets.env");
    repo.commit("remove the key");
    repo.git("checkout", "-q", "-b", "feature");
    const side = repo.commit("side work", { "feature.js": `const key = "${keys.side}";\n` });
    repo.git("checkout", "-q", "main");
    const renamed = repo.commit("key in a file", {
      "conf/app.env": `NAME=x\nKEY=${keys.renamed}\n`,
    });
    repo.git("mv", "conf/app.env", "conf/renamed.env");
    repo.commit("rename it");
    repo.git("merge", "-q", "--no-ff", "--no-commit", "feature");
    repo.write({ "README.md": `project\nmerged with ${keys.merge}\n` });
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "merge feature");
    const merge = repo.git("rev-parse", "HEAD");

    const { exitCode, report, stderr } = await historyJson(repo.dir);
    expect(stderr).toBe("");
    expect(exitCode).toBe(1);
    const where = Object.fromEntries(
      report!.findings.map((f) => [f.secret, { commit: f.commit, path: f.path, line: f.line }]),
    );
    expect(where).toEqual({
      [keys.deleted]: { commit: deleted, path: "secrets.env", line: 1 },
      [keys.side]: { commit: side, path: "feature.js", line: 1 },
      [keys.renamed]: { commit: renamed, path: "conf/app.env", line: 2 },
      [keys.merge]: { commit: merge, path: "README.md", line: 2 },
    });
    const first = report!.findings.find((f) => f.secret === keys.deleted)!;
    expect(first).toMatchObject({
      author: "Ada Tester",
      email: "ada@example.test",
      ruleId: "meta-llama-api-key",
    });
    expect(report!.summary.source).toBe("history");
  });

  it("collapses a key kept across many commits into one finding with its occurrences", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    const added = repo.commit("add", { "app.env": `KEY=${key}\n` });
    const edit1 = repo.commit("edit 1", { "app.env": `# settings\nKEY=${key}\n` });
    const edit2 = repo.commit("edit 2", { "app.env": `# settings\nKEY=${key}\nMORE=1\n` });
    // The same blob as the first: read once, and seen at both places.
    const copy = repo.commit("copy", { "other.env": `KEY=${key}\n` });
    const { report } = await historyJson(repo.dir);
    expect(report!.findings).toHaveLength(1);
    expect(report!.findings[0]).toMatchObject({ commit: added, path: "app.env", line: 1 });
    expect(report!.findings[0]!.occurrences?.map((o) => [o.path, o.line, o.commit])).toEqual([
      ["app.env", 1, added],
      ["app.env", 2, edit1],
      ["app.env", 2, edit2],
      ["other.env", 1, copy],
    ]);
  });

  it("reads blobs and trees a tag names without a commit", async () => {
    const [inBlob, inTree] = [plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    repo.commit("one", { "a.txt": "a\n" });
    repo.commit("two", { "keys/llama.env": `LLAMA_API_KEY=${inTree}\n`, "pub.txt": `${inBlob}\n` });
    const tree = repo.git("rev-parse", "HEAD:keys");
    const pub = repo.git("rev-parse", "HEAD:pub.txt");
    // The commit is gone from every ref: only the tags reach its blobs.
    repo.git("reset", "-q", "--hard", "HEAD~1");
    repo.git("tag", "-a", "pubkey", "-m", "the public key", pub);
    repo.git("tag", "keys-tree", tree);
    const { report } = await historyJson(repo.dir);
    const found = report!.findings.map((f) => [f.secret, f.path, f.commit]);
    expect(found).toContainEqual([inBlob, "refs/tags/pubkey", repo.git("rev-parse", "pubkey")]);
    expect(found).toContainEqual([inTree, "llama.env", tree]);
    expect(found).toHaveLength(2);
    const refs = report!.findings.map((f) => [f.path, f.ref]);
    expect(refs).toContainEqual(["llama.env", "refs/tags/keys-tree"]);
    expect(refs).toContainEqual(["refs/tags/pubkey", "refs/tags/pubkey"]);

    // Text and JUnit name the tag and leave out what a lightweight tag does not have.
    const text = (await runCli(["history"], { cwd: repo.dir })).stdout;
    expect(text).toContain(`    ref: refs/tags/keys-tree (${tree.slice(0, 12)})\n`);
    expect(text).toMatch(
      / {4}ref: refs\/tags\/pubkey \([0-9a-f]{12}\) by Ada Tester <[^>]+> on \d{4}-/,
    );
    expect(text).not.toContain("commit:");
    const junit = (await runCli(["history", "--format", "junit"], { cwd: repo.dir })).stdout;
    expect(junit).toContain(`ref: refs/tags/keys-tree (${tree})\n`);
    expect(junit).not.toMatch(/by +&lt;&gt;|on *\n/);
  });

  it("reads the real objects whatever the repository's refs/replace, log encoding and file names", async () => {
    const [key, byZoe] = [plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    repo.commit("base", { "docs/index.md": "# docs\n" });
    const leak = repo.commit("add a key", { "app.env": `LLAMA_API_KEY=${key}\n` });
    repo.git("rm", "-q", "app.env");
    const clean = repo.commit("remove it");
    repo.write({ "z.env": `LLAMA_API_KEY=${byZoe}\n` });
    repo.git("add", "-A");
    repo.git("commit", "-q", "--author", "Zoë Müller <zoe@example.test>", "-m", "by Zoë");
    const zoe = repo.git("rev-parse", "HEAD");
    // A branch named like the docs folder, commits shown in Latin-1, and the leaking commit
    // replaced by a clean one, which a clone of the repository would not get.
    repo.git("branch", "docs");
    repo.git("config", "i18n.logOutputEncoding", "ISO-8859-1");
    repo.git("replace", leak, clean);
    for (const args of [[], ["--branch", "docs"], ["--range", "docs"]]) {
      const { report } = await historyJson(repo.dir, ...args);
      expect(
        report!.findings.map((f) => [f.secret, f.commit, f.author]),
        args.join(" "),
      ).toEqual([
        [key, leak, "Ada Tester"],
        [byZoe, zoe, "Zoë Müller"],
      ]);
    }
  });

  it("honours keywarden:allow, --branch, --since and --max-count", async () => {
    const [kept, allowed, onSide] = [plantedKey(), plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    repo.commit("one", { "a.env": `A=${kept}\nB=${allowed} # keywarden:allow\n` });
    repo.git("checkout", "-q", "-b", "side");
    repo.commit("side", { "s.env": `S=${onSide}\n` });
    repo.git("checkout", "-q", "main");
    const secrets = async (...args: string[]) =>
      (await historyJson(repo.dir, ...args)).report!.findings.map((f) => f.secret).sort();
    expect(await secrets()).toEqual([kept, onSide].sort());
    expect(await secrets("--branch", "main")).toEqual([kept]);
    expect(await secrets("--branch", "side", "--max-count", "1")).toEqual([onSide]);
    expect(await secrets("--since", "2030-01-01")).toEqual([]);
  });

  it("with --max-count or --since, reports only keys added by the commits selected", async () => {
    const [old, added] = [plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    repo.commit("the key", { "a.env": `OLD=${old}\n` });
    repo.commit("another line", { "a.env": `OLD=${old}\nNAME=app\n` });
    const last = repo.commit("a new key", { "a.env": `OLD=${old}\nNAME=app\nNEW=${added}\n` });
    for (const count of ["1", "2"]) {
      const { report } = await historyJson(repo.dir, "--max-count", count);
      // The old key came before these commits: neither of them added it.
      expect(report!.findings.map((f) => [f.secret, f.commit, f.line])).toEqual([[added, last, 3]]);
    }
    expect((await historyJson(repo.dir, "--max-count", "3")).report!.findings).toHaveLength(2);
  });

  it("scans only what a range adds with --range", async () => {
    const [old, added] = [plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    const base = repo.commit("base", { "a.env": `OLD=${old}\n` });
    const commit = repo.commit("more", { "a.env": `OLD=${old}\nNEW=${added}\n` });
    const { exitCode, report } = await historyJson(repo.dir, "--range", `${base}..HEAD`);
    expect(exitCode).toBe(1);
    expect(report!.summary.source).toBe("range");
    expect(report!.findings.map((f) => [f.secret, f.commit, f.line])).toEqual([[added, commit, 2]]);
  });

  it("shows a progress bar for --range on a terminal, as for the whole history, and none with --quiet", async () => {
    const repo = makeTempRepo();
    const base = repo.commit("base", { "a.txt": "a\n" });
    repo.commit("second", { "a.txt": "a\nb\n" });
    repo.commit("third", { "a.txt": "a\nb\nc\n" });
    // `script` gives the CLI a pseudo-terminal for stdin, stdout and stderr.
    const onTerminal = (...args: string[]) =>
      execFileSync(
        "script",
        ["-qec", ["node", BIN, "history", ...args].map((a) => `'${a}'`).join(" "), "/dev/null"],
        { cwd: repo.dir, env: { ...process.env, ...GIT_ENV, NO_COLOR: "1" }, encoding: "utf8" },
      );
    const shown = onTerminal("--range", `${base}..HEAD`);
    expect(shown).toContain("\r\x1b[K[########################] 2/2 commits · ");
    expect(shown).toContain("No secrets found");
    expect(onTerminal("--range", `${base}..HEAD`, "--quiet")).not.toContain("commits ·");
  });

  it("with --range past a shallow clone's cut, names the cut commit instead of blaming it for its tree", async () => {
    const old = plantedKey();
    const origin = makeTempRepo();
    origin.commit("old key", { "legacy.env": `LLAMA_API_KEY=${old}\n` });
    for (const n of [1, 2, 3]) origin.commit(`main ${n}`, { [`m${n}.txt`]: `${n}\n` });
    origin.git("checkout", "-q", "-b", "feature");
    for (const n of [1, 2, 3]) origin.commit(`feature ${n}`, { [`f${n}.txt`]: `${n}\n` });
    const dir = join(makeTempDir(), "clone");
    execFileSync("git", [
      "clone",
      "-q",
      "--depth=2",
      "--no-single-branch",
      `file://${origin.dir}`,
      dir,
    ]);
    const cut = execFileSync("git", ["rev-parse", "origin/feature~1"], { cwd: dir })
      .toString()
      .trim();
    const { exitCode, report, stderr } = await historyJson(
      dir,
      "--range",
      "origin/main..origin/feature",
    );
    expect(exitCode).toBe(2);
    expect(report!.findings).toEqual([]);
    expect(stderr).toContain(
      `(range) (commit ${cut.slice(0, 12)} is where this shallow clone's history is cut: what it changed is unknown`,
    );
  });

  it("with --range, reports keys a merge adds itself and keys attributes mark binary, not main's", async () => {
    const [onMain, inMerge, hidden] = [plantedKey(), plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    repo.commit("base", { "conf.txt": "x\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("feature", { "conf.txt": "x\nfeature\n" });
    repo.git("checkout", "-q", "main");
    repo.commit("main", { "main.env": `LLAMA_API_KEY=${onMain}\n`, "conf.txt": "x\nmain\n" });
    repo.git("checkout", "-q", "feature");
    expect(() => repo.git("merge", "-q", "main")).toThrow(); // a conflict, resolved by hand:
    const merge = repo.commit("merge main", { "conf.txt": `x\nfeature\nmain\nkey ${inMerge}\n` });
    const hide = repo.commit("hide", {
      ".gitattributes": "*.env -diff\n",
      "hidden.env": `LLAMA_API_KEY=${hidden}\n`,
    });
    const { exitCode, report, stderr } = await historyJson(repo.dir, "--range", "main..feature");
    expect(stderr).toBe("");
    expect(exitCode).toBe(1);
    expect(report!.findings.map((f) => [f.secret, f.commit, f.path, f.line])).toEqual([
      [inMerge, merge, "conf.txt", 4],
      [hidden, hide, "hidden.env", 1],
    ]);
  });

  it("exits 0 with a note on an empty repository", async () => {
    const repo = makeTempRepo();
    const { exitCode, report, stderr } = await historyJson(repo.dir);
    expect(exitCode).toBe(0);
    expect(report!.findings).toEqual([]);
    expect(stderr).toBe("keywarden: the repository has no commits yet: nothing to scan\n");
  });

  it("exits 2 with one line outside a repository, for a bad branch and for a bad option value", async () => {
    const dir = makeTempDir();
    const outside = await runCli(["history"], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: dir } });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toBe(`keywarden: not a git repository: ${dir}\n`);
    const repo = makeTempRepo();
    repo.commit("one", { "a.txt": "a\n" });
    const branch = await runCli(["history", "--branch", "nope"], { cwd: repo.dir });
    expect(branch.exitCode).toBe(2);
    expect(branch.stderr).toBe("keywarden: unknown branch or revision: nope\n");
    // Known to git, but no commit: said so, not called unknown.
    repo.git("tag", "-a", "-m", "tree", "tree-tag", "HEAD^{tree}");
    for (const [revision, type] of [
      ["HEAD^{tree}", "tree"],
      ["HEAD:a.txt", "blob"],
      ["tree-tag", "tree"],
    ]) {
      const notCommit = await runCli(["history", "--branch", revision!], { cwd: repo.dir });
      expect(notCommit.exitCode, revision).toBe(2);
      expect(notCommit.stderr, revision).toBe(
        `keywarden: ${revision} names a ${type}, not a commit: history walks commits (a branch, a tag of a commit, a commit)\n`,
      );
    }
    const option = await runCli(["history", "--range=--output=/tmp/x"], { cwd: repo.dir });
    expect(option.exitCode).toBe(2);
    expect(option.stderr.split("\n")[0]).toBe(
      'keywarden: --range: "--output=/tmp/x" is not a branch, commit or range',
    );
    // Git would read these as "now" and as a day of another month, and scan nothing.
    for (const [flag, value, complaint] of [
      ["--since", "yesterdy", "is not a date git understands"],
      ["--since", "2023-13-45", "is not a date git understands"],
      ["--since", "2023-02-29", "is not a date git understands"],
      ["--max-count", "abc", "is not a positive whole number"],
      ["--max-count", "0", "is not a positive whole number"],
    ]) {
      const bad = await runCli(["history", flag!, value!], { cwd: repo.dir });
      expect(bad.exitCode, `${flag} ${value}`).toBe(2);
      expect(bad.stderr.split("\n")[0]).toBe(`keywarden: ${flag}: "${value}" ${complaint}`);
    }
  });

  it("lists blobs over --max-file-size as skipped", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "big.txt": "z".repeat(3000), "small.txt": "ok\n" });
    const { exitCode, report, stderr } = await historyJson(repo.dir, "--max-file-size", "1KB");
    expect(exitCode).toBe(0);
    expect(report!.summary.skipped).toEqual([
      expect.objectContaining({ path: "big.txt", reason: "too-large" }),
    ]);
    expect(stderr).toContain("big.txt");
  });

  it("reports what it found and exits 2 when objects are missing from a damaged repository", async () => {
    const repo = makeTempRepo();
    const key = plantedKey();
    repo.commit("one", { "lost.txt": "will be lost\n", ".env": `LLAMA_API_KEY=${key}\n` });
    const sha = repo.git("rev-parse", "HEAD:lost.txt");
    rmSync(join(repo.dir, ".git", "objects", sha.slice(0, 2), sha.slice(2)));
    const { exitCode, report, stderr } = await historyJson(repo.dir);
    expect(exitCode).toBe(2);
    expect(report!.findings.map((f) => f.path)).toEqual([".env"]);
    expect(stderr).toMatch(/lost\.txt/);
    expect(stderr).toMatch(/incomplete scan: 1 file or object could not be read/);
  });

  it("lists the first hundred missing blobs on stderr and counts the rest, which --verbose and the report name", async () => {
    const repo = makeTempRepo();
    const files: Record<string, string> = {};
    for (let i = 0; i < 130; i++) files[`lost/${String(i).padStart(3, "0")}.txt`] = `lost ${i}\n`;
    repo.commit("one", files);
    for (const path of Object.keys(files)) {
      const sha = repo.git("rev-parse", `HEAD:${path}`);
      rmSync(join(repo.dir, ".git", "objects", sha.slice(0, 2), sha.slice(2)));
    }
    const { exitCode, report, stderr } = await historyJson(repo.dir);
    expect(exitCode).toBe(2);
    expect(report!.summary.skipped.filter((s) => s.reason === "missing-object")).toHaveLength(130);
    const listed = stderr.split("\n").filter((line) => /^ {2}lost\/\d{3}\.txt /.test(line));
    expect(listed).toHaveLength(100);
    expect(stderr).toContain("  … and 30 more (--verbose lists them, as the JSON report does)\n");
    expect(stderr).toMatch(/incomplete scan: 130 files or objects could not be read/);
    const verbose = await historyJson(repo.dir, "--verbose");
    expect(verbose.stderr.split("\n").filter((line) => /^ {2}lost\//.test(line))).toHaveLength(130);
    expect(verbose.stderr).not.toContain("more (--verbose");
  });

  it("with --range, lists a commit git cannot diff for a missing object and reads on past it", async () => {
    const [first, beside, after] = [plantedKey(), plantedKey(), plantedKey()];
    const repo = makeTempRepo();
    const base = repo.commit("base", { "a.txt": "a\n" });
    const one = repo.commit("one", { "one.env": `LLAMA_API_KEY=${first}\n` });
    // git diffs files in path order: beside.env is written before it stops at lost.txt.
    const damaged = repo.commit("damaged", {
      "beside.env": `LLAMA_API_KEY=${beside}\n`,
      "lost.txt": "will be lost\n",
    });
    const last = repo.commit("last", { "last.env": `LLAMA_API_KEY=${after}\n` });
    const sha = repo.git("rev-parse", "HEAD~1:lost.txt");
    rmSync(join(repo.dir, ".git", "objects", sha.slice(0, 2), sha.slice(2)));
    const { exitCode, report, stderr } = await historyJson(repo.dir, "--range", `${base}..HEAD`);
    expect(exitCode).toBe(2);
    expect(report!.findings.map((f) => [f.path, f.secret, f.commit])).toEqual([
      ["beside.env", beside, damaged],
      ["last.env", after, last],
      ["one.env", first, one],
    ]);
    expect(report!.summary.skipped).toEqual([
      expect.objectContaining({
        path: "(range)",
        reason: "unreadable",
        detail: expect.stringContaining(`commit ${damaged.slice(0, 12)}: git cannot read`),
      }),
    ]);
    expect(stderr).toMatch(/incomplete scan/);
  });

  it("lists a corrupt object as unreadable and reads on past it, in a pack or loose", async () => {
    const repo = makeTempRepo();
    const before = plantedKey();
    const after = plantedKey();
    // Random text, so the pack stores it compressed as it is, each byte of it needed.
    const noise = () => randomBytes(15_000).toString("base64");
    repo.commit("one", { "before.env": `KEY=${before}\n`, "packed.txt": noise() });
    repo.git("repack", "-q", "-a", "-d", "-f", "--window=0");
    repo.commit("two", { "loose.txt": noise(), "after.env": `KEY=${after}\n` });
    // Bytes inside each victim's compressed data overwritten: git dies reading it.
    const packed = repo.git("rev-parse", "HEAD:packed.txt");
    const [index] = readdirSync(join(repo.dir, ".git/objects/pack")).filter((f) =>
      f.endsWith(".idx"),
    );
    const offset = repo
      .git("verify-pack", "-v", join(".git/objects/pack", index!))
      .split("\n")
      .find((line) => line.startsWith(packed))!
      .split(/\s+/)[4]!;
    const loose = repo.git("rev-parse", "HEAD:loose.txt");
    for (const [file, at] of [
      [join(".git/objects/pack", index!.replace(/\.idx$/, ".pack")), Number(offset) + 200],
      [join(".git/objects", loose.slice(0, 2), loose.slice(2)), 100],
    ] as const) {
      const path = join(repo.dir, file);
      chmodSync(path, 0o644);
      const fd = openSync(path, "r+");
      writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, at);
      closeSync(fd);
    }
    const { exitCode, report, stderr } = await historyJson(repo.dir);
    expect(exitCode).toBe(2);
    expect(report!.findings.map((f) => f.path).sort()).toEqual(["after.env", "before.env"]);
    expect(report!.summary.skipped.map((s) => [s.path, s.reason]).sort()).toEqual([
      ["loose.txt", "unreadable"],
      ["packed.txt", "unreadable"],
    ]);
    expect(stderr).toMatch(/incomplete scan: 2 files or objects could not be read/);
  });

  it("never asks git for a blob over --max-file-size: one it could not read is only too large", async () => {
    // Git holds a blob stored as a delta whole to answer for it, even one then read past; a
    // corrupt one shows whether it was asked for at all.
    const repo = makeTempRepo();
    const key = plantedKey();
    repo.commit("one", {
      "dump.sql": randomBytes(15_000).toString("base64"),
      ".env": `KEY=${key}\n`,
    });
    const sha = repo.git("rev-parse", "HEAD:dump.sql");
    const path = join(repo.dir, ".git/objects", sha.slice(0, 2), sha.slice(2));
    chmodSync(path, 0o644);
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, 100);
    closeSync(fd);
    const { exitCode, report } = await historyJson(repo.dir, "--max-file-size", "10KB");
    expect(exitCode).toBe(1);
    expect(report!.findings.map((f) => f.path)).toEqual([".env"]);
    expect(report!.summary.skipped).toEqual([
      expect.objectContaining({ path: "dump.sql", reason: "too-large" }),
    ]);
  });

  it("never takes a repository whose refs git cannot walk for an empty one", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { ".env": `LLAMA_API_KEY=${plantedKey()}\n` });
    const first = repo.commit("two", { "a.txt": "a\n" });
    repo.commit("three", { "b.txt": "b\n" });
    rmSync(join(repo.dir, ".git", "objects", first.slice(0, 2), first.slice(2)));
    const lost = await runCli(["history"], { cwd: repo.dir });
    expect(lost.exitCode).toBe(2);
    expect(lost.stderr).toMatch(/^keywarden: git rev-list failed: .*\(the repository is damaged/);
    expect(lost.stderr).not.toContain("no commits yet");
  });
});
