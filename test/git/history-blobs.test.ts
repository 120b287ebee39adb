import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitError } from "../../src/errors.js";
import type { CommitLogSelection } from "../../src/git/commit-log.js";
import { listLocalBlobs, probeRepository } from "../../src/git/repository.js";
import { rangeFragments } from "../../src/sources/commit-range.js";
import { historyFragments } from "../../src/sources/history-blobs.js";
import { historyScanFragments } from "../../src/sources/history-scan.js";
import type { Fragment } from "../../src/types.js";
import { GIT_ENV, makeTempDir, makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { collect, gitContext } from "./helpers.js";

const MB = 1024 * 1024;

function history(repo: TempRepo, selection: CommitLogSelection = {}, maxFileSize = 10 * MB) {
  return collect((onSkip) =>
    historyFragments({ ...gitContext(repo), maxFileSize, onSkip, selection }),
  );
}

/** path → commit that introduced the blob read there, with its text. */
function byPath(fragments: Awaited<ReturnType<typeof history>>["fragments"]) {
  return fragments.map((f) => ({ path: f.path, text: f.text, commit: f.git?.commit }));
}

describe("historyFragments", () => {
  it("reads each unique blob once, attributed to the commit that introduced it", async () => {
    const repo = makeTempRepo();
    const c1 = repo.commit("one", { "a.txt": "same\n", "b.txt": "b1\n" });
    const c2 = repo.commit("two", { "b.txt": "b2\n", "copy-of-a.txt": "same\n" });
    const c3 = repo.commit("three", { "b.txt": "b1\n" }); // back to an old blob: not new
    const { fragments } = await history(repo);
    expect(byPath(fragments)).toEqual([
      { path: "a.txt", text: "same\n", commit: c1 },
      { path: "b.txt", text: "b1\n", commit: c1 },
      { path: "b.txt", text: "b2\n", commit: c2 },
    ]);
    expect(c3).toMatch(/^[0-9a-f]{40}$/);
    expect(fragments[0]!.git).toMatchObject({
      author: GIT_ENV.GIT_AUTHOR_NAME,
      email: GIT_ENV.GIT_AUTHOR_EMAIL,
      message: "one",
    });
    expect(Date.parse(fragments[0]!.git!.date)).toBe(Date.parse(GIT_ENV.GIT_AUTHOR_DATE!));
  });

  it("reads blobs of every size whole, whether or not they fit in one read from git", async () => {
    const repo = makeTempRepo();
    const files: Record<string, string> = {};
    // Line numbers make every line differ, so a misplaced byte changes the text.
    const numbered = (lines: number) =>
      Array.from({ length: lines }, (_, i) => `line ${i} of ${lines}\n`).join("");
    for (const lines of [1, 3, 100, 5000, 40_000, 90_000]) files[`f${lines}.txt`] = numbered(lines);
    repo.commit("sizes", files);
    const { fragments } = await history(repo);
    expect(Object.fromEntries(fragments.map((f) => [f.path, f.text]))).toEqual(files);
  });

  it("decodes blobs as the working-tree scan does: no byte-order mark, Latin-1 when not UTF-8", async () => {
    const repo = makeTempRepo();
    repo.commit("one", {
      "bom.txt": Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a]),
      "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    });
    const { fragments } = await history(repo);
    expect(fragments.map((f) => [f.path, f.text])).toEqual([
      ["bom.txt", "a\n"],
      ["latin1.txt", "café\n"],
    ]);
  });

  it("names the blob each one revises: the old side of a modification, never of an add", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "a.txt": "first\n" });
    repo.commit("two", { "a.txt": "first\nsecond\n", "b.txt": "new\n" });
    const { fragments } = await history(repo);
    const blobOf = (text: string) =>
      execFileSync("git", ["hash-object", "--stdin"], { cwd: repo.dir, input: text })
        .toString("utf8")
        .trim();
    expect(fragments.map((f) => [f.path, f.blob?.sha, f.blob?.previous])).toEqual([
      ["a.txt", blobOf("first\n"), undefined],
      ["a.txt", blobOf("first\nsecond\n"), blobOf("first\n")],
      ["b.txt", blobOf("new\n"), undefined],
    ]);
  });

  it("says which blobs a later blob still revises, so only those scans are kept", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "a.txt": "v1\n", "once.txt": "never edited\n" });
    repo.commit("two", { "a.txt": "v2\n" });
    repo.git("checkout", "-q", "-b", "side");
    repo.commit("side edits v2 too", { "a.txt": "v2 on side\n" });
    repo.git("checkout", "-q", "main");
    repo.commit("back to v1", { "a.txt": "v1\n" }); // an old blob: not read again
    repo.commit("edit v1 again", { "a.txt": "v3\n" });
    const text = (sha: string | undefined) => repo.git("cat-file", "-p", sha ?? "").concat("\n");
    const source = historyFragments({
      ...gitContext(repo),
      maxFileSize: MB,
      onSkip: () => {},
      selection: {},
    })[Symbol.asyncIterator]();
    const fragments = [(await source.next()).value as Fragment];
    // The walk of five commits has ended by now: every answer below is known, none assumed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let next = await source.next(); !next.done; next = await source.next()) {
      fragments.push(next.value);
    }
    const flags = fragments.slice(1).map((f) => ({
      text: f.text,
      revisedLater: f.blob?.revisedLater,
      previous: f.blob?.previous === undefined ? undefined : text(f.blob.previous),
      previousRevisedLater: f.blob?.previousRevisedLater,
    }));
    expect(flags).toEqual([
      {
        text: "never edited\n",
        revisedLater: false,
        previous: undefined,
        previousRevisedLater: undefined,
      },
      // v1 is revised again by v3, after the revert: its scan stays.
      { text: "v2\n", revisedLater: true, previous: "v1\n", previousRevisedLater: true },
      // v2 is revised on the side branch only (main went back to v1, a blob read before).
      { text: "v2 on side\n", revisedLater: false, previous: "v2\n", previousRevisedLater: false },
      { text: "v3\n", revisedLater: false, previous: "v1\n", previousRevisedLater: false },
    ]);
  });

  it("finds content deleted later, on side branches, in renamed files and in merges", async () => {
    const repo = makeTempRepo();
    const base = repo.commit("base", { "keep.txt": "k\n", "moved.txt": "to be renamed\n" });
    const deleted = repo.commit("add then delete", { "tmp.txt": "deleted later\n" });
    repo.git("rm", "-q", "tmp.txt");
    repo.commit("delete");
    repo.git("checkout", "-q", "-b", "side");
    const side = repo.commit("side", { "side.txt": "only on side\n" });
    repo.git("checkout", "-q", "main");
    repo.git("mv", "moved.txt", "renamed.txt");
    const renamed = repo.commit("rename and edit", { "renamed.txt": "to be renamed\nedited\n" });
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side");
    repo.write({ "keep.txt": "k\nwritten during the merge\n" });
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "merge side");
    const merge = repo.git("rev-parse", "HEAD");
    repo.git("checkout", "-q", "-b", "unmerged", base);
    const unmerged = repo.commit("unmerged", { "u.txt": "on a branch never merged\n" });
    repo.git("checkout", "-q", "main");

    const { fragments } = await history(repo);
    const commitOf = (text: string) => fragments.find((f) => f.text === text)?.git?.commit;
    expect(commitOf("deleted later\n")).toBe(deleted);
    expect(commitOf("only on side\n")).toBe(side);
    expect(commitOf("to be renamed\nedited\n")).toBe(renamed);
    expect(fragments.find((f) => f.git?.commit === renamed)?.path).toBe("renamed.txt");
    expect(commitOf("k\nwritten during the merge\n")).toBe(merge);
    expect(commitOf("on a branch never merged\n")).toBe(unmerged);
    // Each blob exactly once.
    const texts = fragments.map((f) => f.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("limits the walk with a branch, --since and --max-count", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "a.txt": "1\n" });
    repo.git("checkout", "-q", "-b", "side");
    repo.commit("side", { "s.txt": "side\n" });
    repo.git("checkout", "-q", "main");
    const env = {
      ...GIT_ENV,
      GIT_AUTHOR_DATE: "2026-03-01T00:00:00Z",
      GIT_COMMITTER_DATE: "2026-03-01T00:00:00Z",
    };
    repo.write({ "late.txt": "late\n" });
    repo.git("add", "-A");
    execFileSync("git", ["commit", "-q", "-m", "late"], {
      cwd: repo.dir,
      env: { ...process.env, ...env },
    });

    const main = await history(repo, { revisions: ["main"] });
    expect(main.fragments.map((f) => f.path)).toEqual(["a.txt", "late.txt"]);
    const since = await history(repo, { since: "2026-02-01" });
    expect(since.fragments.map((f) => f.path)).toEqual(["late.txt"]);
    const last = await history(repo, { revisions: ["side"], maxCount: 1 });
    expect(last.fragments.map((f) => f.path)).toEqual(["s.txt"]);
  });

  it("includes commits reachable only from a detached HEAD", async () => {
    const repo = makeTempRepo();
    const first = repo.commit("one", { "a.txt": "1\n" });
    repo.git("checkout", "-q", "--detach", first);
    const detached = repo.commit("detached", { "d.txt": "detached work\n" });
    const { fragments } = await history(repo);
    expect(fragments.find((f) => f.path === "d.txt")?.git?.commit).toBe(detached);
  });

  it("lists a blob longer than a text can hold as unreadable, with no size limit, and reads on", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "huge.log": "line\n".repeat(1000), "small.txt": "ok\n" });
    // maxTextBytes stands in for V8's longest string (half a gigabyte), which a blob can pass.
    const { fragments, skipped } = await collect((onSkip) =>
      historyFragments({
        ...gitContext(repo),
        maxFileSize: Number.POSITIVE_INFINITY,
        maxTextBytes: 1000,
        onSkip,
        selection: {},
      }),
    );
    expect(fragments.map((f) => f.path)).toEqual(["small.txt"]);
    expect(skipped).toEqual([
      expect.objectContaining({
        path: "huge.log",
        reason: "unreadable",
        detail: expect.stringMatching(
          /: 5000 bytes, more than one text can hold \(1000 characters\)$/,
        ),
      }),
    ]);
  });

  it("skips binary, oversized and LFS pointer blobs with notices, and ignores submodule pointers", async () => {
    const inner = makeTempRepo();
    inner.commit("inner", { "x.txt": "x\n" });
    const repo = makeTempRepo();
    repo.write({
      "bin.dat": Buffer.from([1, 2, 0, 3]),
      "big.txt": "y".repeat(5000),
      "lfs.bin": `version https://git-lfs.github.com/spec/v1\noid sha256:${"0a".repeat(32)}\nsize 99\n`,
      "small.txt": "ok\n",
    });
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.dir, "sub");
    repo.commit("mixed");
    const { fragments, skipped } = await history(repo, {}, 1000);
    expect(fragments.map((f) => f.path).sort()).toEqual([".gitmodules", "small.txt"]);
    expect(skipped.map((s) => [s.path, s.reason]).sort()).toEqual([
      ["big.txt", "too-large"],
      ["bin.dat", "binary"],
      ["lfs.bin", "lfs-pointer"],
    ]);
  });

  it("lists missing objects of a damaged repository and scans the rest", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "lost.txt": "will be lost\n", "kept.txt": "kept\n" });
    const sha = repo.git("rev-parse", "HEAD:lost.txt");
    rmSync(join(repo.dir, ".git", "objects", sha.slice(0, 2), sha.slice(2)));
    const { fragments, skipped } = await history(repo);
    expect(fragments.map((f) => f.path)).toEqual(["kept.txt"]);
    expect(skipped).toEqual([
      expect.objectContaining({ path: "lost.txt", reason: "missing-object" }),
    ]);
  });

  it("reads on past a commit whose tree is missing, and lists that commit", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "d/a.txt": "first\n" });
    repo.commit("two", { "d/b.txt": "second\n" });
    repo.commit("three", { "c.txt": "third\n" });
    repo.commit("four", { "d/e.txt": "fourth\n" });
    const lost = repo.git("rev-parse", "HEAD~2:d");
    const two = repo.git("rev-parse", "HEAD~2");
    const four = repo.git("rev-parse", "HEAD");
    rmSync(join(repo.dir, ".git", "objects", lost.slice(0, 2), lost.slice(2)));
    const { fragments, skipped } = await history(repo);
    // Two's folder is lost: its own tree cannot be listed. Three leaves the folder as it was,
    // so git diffs it; four changes the folder, so its files come from its own tree, where
    // d/b.txt, brought by two, is found again.
    expect(fragments.map((f) => [f.path, f.git?.commit])).toEqual([
      ["d/a.txt", repo.git("rev-parse", "HEAD~3")],
      ["c.txt", repo.git("rev-parse", "HEAD~1")],
      ["d/b.txt", four],
      ["d/e.txt", four],
    ]);
    expect(skipped).toEqual([
      {
        path: "(history)",
        wholeScan: true,
        reason: "unreadable",
        detail: `commit ${two.slice(0, 12)}: git log failed: unable to read tree ${lost}, nor can its own tree be read: its files are scanned only where a later commit holds them`,
      },
      {
        path: "(history)",
        wholeScan: true,
        reason: "unreadable",
        detail: `commit ${four.slice(0, 12)}: git log failed: unable to read tree ${lost}; its files were read from its own tree, each as brought by it`,
      },
    ]);
  });

  it("reads a partial clone without fetching: blobs not present are listed as missing", async () => {
    const origin = makeTempRepo();
    origin.commit("one", { "f.txt": "v1\n" });
    origin.commit("two", { "f.txt": "v2\n" });
    origin.git("config", "uploadpack.allowFilter", "true");
    const dir = join(makeTempDir(), "clone");
    execFileSync(
      "git",
      ["clone", "-q", "--filter=blob:none", "--no-checkout", `file://${origin.dir}`, dir],
      {
        env: { ...process.env, ...GIT_ENV },
      },
    );
    const context = { cwd: dir, env: { ...process.env, ...GIT_ENV } };
    const state = await probeRepository(context);
    expect(state.isPartialClone).toBe(true);
    const localBlobs = await listLocalBlobs(context);
    const { fragments, skipped } = await collect((onSkip) =>
      historyFragments({ ...context, maxFileSize: MB, onSkip, selection: {}, localBlobs }),
    );
    expect(fragments).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual(["missing-object", "missing-object"]);
    // A range needs the blobs to diff them: the commit is listed, saying so, and no download.
    const range = await collect((onSkip) =>
      rangeFragments({ ...context, maxFileSize: MB, onSkip, range: "HEAD~1..HEAD" }),
    );
    expect(range.fragments).toEqual([]);
    expect(range.skipped).toEqual([
      expect.objectContaining({
        path: "(range)",
        reason: "unreadable",
        detail: expect.stringMatching(
          /: git cannot read what it changed \(object [0-9a-f]{40} is not in this partial clone, and keywarden downloads nothing/,
        ),
      }),
    ]);
    // Nothing was fetched meanwhile.
    expect((await listLocalBlobs(context)).size).toBe(0);
  });

  it("stops both git processes when the consumer stops early", async () => {
    const repo = makeTempRepo();
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`f${i}.txt`] = `${"line\n".repeat(50)}${i}\n`;
    repo.commit("many", files);
    let seen = 0;
    for await (const fragment of historyFragments({
      ...gitContext(repo),
      maxFileSize: MB,
      onSkip: () => {},
      selection: {},
    })) {
      expect(fragment.text.endsWith("\n")).toBe(true);
      seen++;
      if (seen === 10) break; // stopping early ends both git processes
    }
    expect(seen).toBe(10);
  });
});

describe("historyScanFragments", () => {
  it("says so for an empty repository and scans nothing", async () => {
    const repo = makeTempRepo();
    const notes: string[] = [];
    const { fragments } = await collect((onSkip) =>
      historyScanFragments({
        ...gitContext(repo),
        maxFileSize: MB,
        onSkip,
        onNote: (n) => notes.push(n),
      }),
    );
    expect(fragments).toEqual([]);
    expect(notes).toEqual(["the repository has no commits yet: nothing to scan"]);
  });

  it("names a shallow clone and scans what it has", async () => {
    const origin = makeTempRepo();
    origin.commit("one", { "old.txt": "old\n" });
    origin.commit("two", { "new.txt": "new\n" });
    const dir = join(makeTempDir(), "shallow");
    execFileSync("git", ["clone", "-q", "--depth=1", `file://${origin.dir}`, dir], {
      env: { ...process.env, ...GIT_ENV },
    });
    const notes: string[] = [];
    const { fragments } = await collect((onSkip) =>
      historyScanFragments({
        cwd: dir,
        env: { ...process.env, ...GIT_ENV },
        maxFileSize: MB,
        onSkip,
        onNote: (n) => notes.push(n),
      }),
    );
    expect(fragments.map((f) => f.path).sort()).toEqual(["new.txt", "old.txt"]);
    expect(notes.join("\n")).toMatch(/^shallow clone: /);
  });

  it("rejects an unknown branch and a directory outside any repository", async () => {
    const repo = makeTempRepo();
    repo.commit("one", { "a.txt": "a\n" });
    const run = (cwd: string, branch?: string) =>
      collect((onSkip) =>
        historyScanFragments({
          cwd,
          env: { ...process.env, ...GIT_ENV, GIT_CEILING_DIRECTORIES: cwd },
          maxFileSize: MB,
          onSkip,
          onNote: () => {},
          ...(branch ? { branch } : {}),
        }),
      );
    await expect(run(repo.dir, "no-such-branch")).rejects.toThrow(
      "unknown branch or revision: no-such-branch",
    );
    const outside = makeTempDir();
    await expect(run(outside)).rejects.toThrow(GitError);
    await expect(run(outside)).rejects.toThrow(`not a git repository: ${outside}`);
  });
});
