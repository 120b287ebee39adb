import { describe, expect, it } from "vitest";
import { GitError } from "../../src/errors.js";
import { stagedFragments } from "../../src/sources/staged-diff.js";
import { makeTempDir, makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { collect, gitContext, numberedLines, plantedKey } from "./helpers.js";

const MB = 1024 * 1024;

function staged(repo: TempRepo, maxFileSize = 10 * MB) {
  return collect((onSkip) => stagedFragments({ ...gitContext(repo), maxFileSize, onSkip }));
}

describe("stagedFragments", () => {
  it("reads every line of the first commit's files (no HEAD yet)", async () => {
    const repo = makeTempRepo({ "a.txt": "one\ntwo\n", "dir/b.txt": "three" });
    repo.git("add", "-A");
    const { fragments } = await staged(repo);
    expect(fragments.map((f) => [f.path, numberedLines(f)])).toEqual([
      [
        "a.txt",
        [
          [1, "one"],
          [2, "two"],
        ],
      ],
      ["dir/b.txt", [[1, "three"]]],
    ]);
  });

  it("reports only added lines of a modified file, at their new line numbers", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "f.txt": "a\nb\nc\nd\ne\n" });
    repo.write({ "f.txt": "new0\na\nB\nc\nd\ne\nnew6\nnew7\n" });
    repo.git("add", "f.txt");
    const { fragments } = await staged(repo);
    expect(fragments).toHaveLength(1);
    expect(numberedLines(fragments[0]!)).toEqual([
      [1, "new0"],
      [3, "B"],
      [7, "new6"],
      [8, "new7"],
    ]);
    expect(fragments[0]!.startLine).toBe(1);
  });

  it("gives nothing for a deletion, and only new lines for a renamed file", async () => {
    const body = Array.from({ length: 20 }, (_, i) => `line ${i + 1} of a file`).join("\n");
    const repo = makeTempRepo();
    repo.commit("base", { "old.txt": `${body}\n`, "gone.txt": "bye\n" });
    repo.git("mv", "old.txt", "renamed.txt");
    repo.write({ "renamed.txt": `${body}\nadded after rename\n` });
    repo.git("rm", "-q", "gone.txt");
    repo.git("add", "-A");
    const { fragments } = await staged(repo);
    expect(fragments.map((f) => [f.path, numberedLines(f)])).toEqual([
      ["renamed.txt", [[21, "added after rename"]]],
    ]);
  });

  it("reads a copy of a committed file as new lines (the secret gets a second home)", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "src.txt": "alpha\nbeta\n" });
    repo.write({ "copy.txt": "alpha\nbeta\n" });
    repo.git("add", "-A");
    const { fragments } = await staged(repo);
    expect(fragments.map((f) => [f.path, numberedLines(f)])).toEqual([
      [
        "copy.txt",
        [
          [1, "alpha"],
          [2, "beta"],
        ],
      ],
    ]);
  });

  it("handles names with spaces, quotes, tabs and non-ASCII letters whatever core.quotePath says", async () => {
    const repo = makeTempRepo();
    repo.git("config", "core.quotePath", "true");
    const names = ["with space.txt", "héllo wörld.txt", 'quo"te.txt', "tab\there.txt", "日本.txt"];
    repo.write(Object.fromEntries(names.map((name) => [name, `content of ${name}\n`])));
    repo.git("add", "-A");
    const { fragments } = await staged(repo);
    expect(fragments.map((f) => f.path).sort()).toEqual([...names].sort());
    for (const fragment of fragments) expect(fragment.text).toBe(`content of ${fragment.path}`);
  });

  it("ignores the user's diff settings (no prefix, external diff, relative paths)", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "sub/x.txt": "a\n", "y.txt": "b\n" });
    repo.git("config", "diff.noprefix", "true");
    repo.git("config", "diff.external", "false");
    repo.git("config", "diff.relative", "true");
    repo.git("config", "color.diff", "always");
    repo.write({ "sub/x.txt": "a\nadded\n", "y.txt": "b\nalso\n" });
    repo.git("add", "-A");
    const { fragments } = await collect((onSkip) =>
      stagedFragments({ ...gitContext(repo), cwd: `${repo.dir}/sub`, maxFileSize: MB, onSkip }),
    );
    expect(fragments.map((f) => [f.path, numberedLines(f)])).toEqual([
      ["sub/x.txt", [[2, "added"]]],
      ["y.txt", [[2, "also"]]],
    ]);
  });

  it("skips binary files, LFS pointers and oversized additions with a notice", async () => {
    const repo = makeTempRepo();
    repo.write({
      "image.bin": Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02, 0x00, 0x41]),
      "big.txt": `${"x".repeat(200)}\n`.repeat(20),
      "model.onnx": `version https://git-lfs.github.com/spec/v1\noid sha256:${"ab12".repeat(16)}\nsize 123456\n`,
      "ok.txt": "fine\n",
    });
    repo.git("add", "-A");
    const { fragments, skipped } = await staged(repo, 1000);
    expect(fragments.map((f) => f.path)).toEqual(["ok.txt"]);
    expect(skipped.map((s) => [s.path, s.reason]).sort()).toEqual([
      ["big.txt", "too-large"],
      ["image.bin", "binary"],
      ["model.onnx", "lfs-pointer"],
    ]);
  });

  it("reads text that the repository's attributes or core.bigFileThreshold call binary", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    repo.commit("attributes", {
      ".gitattributes": "*.env -diff\n*.dat binary\n",
      "conf.dat": "a\nb\n",
    });
    repo.git("config", "core.bigFileThreshold", "1k");
    repo.write({
      "prod.env": `LLAMA_API_KEY=${key}\n`,
      "conf.dat": `a\nKEY=${key}\nb\n`,
      "big.txt": `token = ${key}\n${"filler line\n".repeat(200)}`,
    });
    repo.git("add", "-A");
    const { fragments, skipped } = await staged(repo);
    expect(skipped).toEqual([]);
    expect(fragments.map((f) => [f.path, numberedLines(f)[0]])).toEqual([
      ["big.txt", [1, `token = ${key}`]],
      ["conf.dat", [2, `KEY=${key}`]],
      ["prod.env", [1, `LLAMA_API_KEY=${key}`]],
    ]);
  });

  it("tells binary from text by content as git does by default (a NUL in the first 8000 bytes)", async () => {
    const header = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const filler = `${"x".repeat(99)}\n`.repeat(81);
    const repo = makeTempRepo();
    repo.commit("base", {
      "image.png": Buffer.concat([header, Buffer.from("\nchunk one\n")]),
      "was-binary.dat": Buffer.from([0, 1, 2, 10]),
      "late-nul.txt": `${filler}late\0nul\n`,
      "utf16.txt": Buffer.from("\uFEFFone\n", "utf16le"),
    });
    repo.write({
      // The change adds no NUL, but the file starts with one: binary.
      "image.png": Buffer.concat([header, Buffer.from("\nchunk two\n")]),
      "was-binary.dat": "now text\n",
      "late-nul.txt": `${filler}late\0nul\nmore\n`,
      "new-late-nul.txt": `${filler}new\0\n`,
      // Half NUL bytes, binary to git, whose byte diff splits no lines: decoded, as scan does.
      "utf16.txt": Buffer.from("\uFEFFzero\r\none\r\ntwo\r\n", "utf16le"),
      "new-utf16.txt": Buffer.from("\uFEFFa=1\r\nb=2\r\n", "utf16le"),
    });
    repo.git("add", "-A");
    const { fragments, skipped } = await staged(repo);
    expect(skipped).toEqual([{ path: "image.png", reason: "binary", detail: "binary content" }]);
    expect(
      fragments.map((f) => [f.path, numberedLines(f).length, numberedLines(f).at(-1)]),
    ).toEqual([
      ["late-nul.txt", 1, [83, "more"]],
      ["new-late-nul.txt", 82, [82, "new\0"]],
      ["new-utf16.txt", 2, [2, "b=2"]],
      ["utf16.txt", 2, [3, "two"]],
      ["was-binary.dat", 1, [1, "now text"]],
    ]);
    expect(numberedLines(fragments.find((f) => f.path === "utf16.txt")!)).toEqual([
      [1, "zero"],
      [3, "two"],
    ]);
  });

  it("leaves a UTF-8 byte-order mark out of line 1, as scan does, so columns agree", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "kept.env": "\uFEFFfirst=1\n" });
    repo.write({ "new.env": "\uFEFFa=1\nb=2\n", "kept.env": "\uFEFFfirst=1\nsecond=2\n" });
    repo.git("add", "-A");
    const { fragments } = await staged(repo);
    expect(fragments.map((f) => [f.path, f.text.split("\n")[0]])).toEqual([
      ["kept.env", "first=1"],
      ["new.env", "a=1"],
    ]);
  });

  it("decodes UTF-16 without a byte-order mark, as scan does, rather than pass it as binary", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "le.env": Buffer.from("zero\r\none\r\n", "utf16le") });
    repo.write({
      "le.env": Buffer.from("zero\r\none\r\ntwo\r\n", "utf16le"),
      "be.env": Buffer.from("a=1\nb=2\n", "utf16le").swap16(),
    });
    repo.git("add", "-A");
    const { fragments, skipped } = await staged(repo);
    expect(skipped).toEqual([]);
    expect(fragments.map((f) => [f.path, numberedLines(f)])).toEqual([
      [
        "be.env",
        [
          [1, "a=1"],
          [2, "b=2"],
        ],
      ],
      ["le.env", [[3, "two"]]],
    ]);
  });

  it("reads the added lines of text after a short binary header, as scan reads the file", async () => {
    const header = Buffer.from([0x4b, 0x57, 0, 0, 0, 0x01, 0, 0x2a]);
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1} of the notes`).join("\n");
    const repo = makeTempRepo();
    repo.commit("base", { "notes.dat": Buffer.concat([header, Buffer.from(`\n${lines}\n`)]) });
    repo.write({ "notes.dat": Buffer.concat([header, Buffer.from(`\n${lines}\nadded\n`)]) });
    repo.git("add", "-A");
    const { fragments, skipped } = await staged(repo);
    expect(skipped).toEqual([]);
    expect(fragments.map((f) => [f.path, numberedLines(f)])).toEqual([
      ["notes.dat", [[22, "added"]]],
    ]);
  });

  it("does not read submodule pointer changes as text", async () => {
    const inner = makeTempRepo();
    inner.commit("inner", { "x.txt": "x\n" });
    const repo = makeTempRepo();
    repo.commit("base", { "a.txt": "a\n" });
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.dir, "sub");
    const { fragments } = await staged(repo);
    expect(fragments.map((f) => f.path)).toEqual([".gitmodules"]);
  });

  it("scans the merge result while a merge is in progress", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "a.txt": "a\n" });
    repo.git("checkout", "-q", "-b", "side");
    repo.commit("side", { "side.txt": "from side\n" });
    repo.git("checkout", "-q", "main");
    repo.commit("main", { "main.txt": "from main\n" });
    repo.git("merge", "-q", "--no-commit", "--no-ff", "side");
    repo.write({ "a.txt": "a\nresolved by hand\n" });
    repo.git("add", "a.txt");
    const { fragments } = await staged(repo);
    expect(fragments.map((f) => [f.path, numberedLines(f)])).toEqual([
      ["a.txt", [[2, "resolved by hand"]]],
      ["side.txt", [[1, "from side"]]],
    ]);
  });

  it("reads the index named by GIT_INDEX_FILE, as inside a hook of git commit <paths>", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "a.txt": "a\n" });
    repo.write({ "b.txt": "in the other index\n" });
    const index = `${repo.dir}/.git/other-index`;
    repo.git("read-tree", "HEAD", `--index-output=${index}`);
    const env = { ...gitContext(repo).env, GIT_INDEX_FILE: index };
    const { execFileSync } = await import("node:child_process");
    execFileSync("git", ["add", "b.txt"], { cwd: repo.dir, env });
    const { fragments } = await collect((onSkip) =>
      stagedFragments({ cwd: repo.dir, env, maxFileSize: MB, onSkip }),
    );
    expect(fragments.map((f) => f.path)).toEqual(["b.txt"]);
    expect((await staged(repo)).fragments).toEqual([]);
  });

  it("reads lines that look like diff headers as content", async () => {
    const repo = makeTempRepo();
    const patch = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n";
    repo.write({ "change.patch": patch });
    repo.git("add", "-A");
    const { fragments } = await staged(repo);
    expect(fragments).toHaveLength(1);
    expect(fragments[0]!.text).toBe(patch.slice(0, -1));
    expect(fragments[0]!.lineNumbers).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("fails with one clear line outside a repository", async () => {
    const dir = makeTempDir();
    const run = collect((onSkip) =>
      stagedFragments({
        cwd: dir,
        env: { ...process.env, GIT_CEILING_DIRECTORIES: dir },
        maxFileSize: MB,
        onSkip,
      }),
    );
    await expect(run).rejects.toThrow(GitError);
    await expect(run).rejects.toThrow(`not a git repository: ${dir}`);
  });
});
