import { describe, expect, it } from "vitest";
import { rangeFragments } from "../../src/sources/commit-range.js";
import type { HistoryProgress } from "../../src/sources/history-blobs.js";
import { makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { collect, gitContext, numberedLines, plantedKey } from "./helpers.js";

function range(repo: TempRepo, spec: string) {
  return collect((onSkip) =>
    rangeFragments({ ...gitContext(repo), maxFileSize: 1024 * 1024, onSkip, range: spec }),
  );
}

/** Starts a merge that stops on conflicts, for the test to resolve them by hand. */
function mergeWithConflicts(repo: TempRepo, branch: string): void {
  expect(() => repo.git("merge", "-q", branch)).toThrow();
}

describe("rangeFragments", () => {
  it("gives each commit's added lines, attributed to that commit, oldest first", async () => {
    const repo = makeTempRepo();
    const base = repo.commit("base", { "a.txt": "a\nb\nc\n", "old name.txt": "x\ny\n" });
    const first = repo.commit("first", { "a.txt": "a\nB\nc\nd\n" });
    repo.git("mv", "old name.txt", "new näme.txt");
    const second = repo.commit("second", {
      "new näme.txt": "x\ny\nz\n",
      "bin.dat": Buffer.from([0, 1, 2]),
    });
    const { fragments, skipped } = await range(repo, `${base}..HEAD`);
    expect(fragments.map((f) => [f.git?.commit, f.path, numberedLines(f)])).toEqual([
      [
        first,
        "a.txt",
        [
          [2, "B"],
          [4, "d"],
        ],
      ],
      [second, "new näme.txt", [[3, "z"]]],
    ]);
    expect(fragments[1]!.git?.message).toBe("second");
    expect(skipped).toEqual([expect.objectContaining({ path: "bin.dat", reason: "binary" })]);
  });

  it("reports progress in commits read out of the range's, ending at all of them", async () => {
    const repo = makeTempRepo();
    const base = repo.commit("base", { "a.txt": "a\n" });
    repo.commit("first", { "a.txt": "a\nb\n" });
    repo.commit("second", { "a.txt": "a\nb\nc\n" });
    const reports: HistoryProgress[] = [];
    await collect((onSkip) =>
      rangeFragments({
        ...gitContext(repo),
        maxFileSize: 1024 * 1024,
        onSkip,
        range: `${base}..HEAD`,
        onProgress: (progress) => reports.push(progress),
      }),
    );
    expect(reports.at(-1)).toEqual(
      expect.objectContaining({ done: 2, total: 2, walkDone: true, unit: "commits" }),
    );
    expect(reports.at(-1)!.bytes).toBeGreaterThan(0);
  });

  it("reads commits of a merged side branch once, and nothing of the merge itself", async () => {
    const repo = makeTempRepo();
    const base = repo.commit("base", { "a.txt": "a\n" });
    repo.git("checkout", "-q", "-b", "side");
    const side = repo.commit("side", { "s.txt": "side line\n" });
    repo.git("checkout", "-q", "main");
    const main = repo.commit("main", { "m.txt": "main line\n" });
    repo.git("merge", "-q", "--no-ff", "-m", "merge", "side");
    const { fragments } = await range(repo, `${base}..main`);
    expect(fragments.map((f) => [f.path, f.git?.commit]).sort()).toEqual(
      [
        ["m.txt", main],
        ["s.txt", side],
      ].sort(),
    );
  });

  it("reads a file as text when the same commit's attributes call it binary", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    const base = repo.commit("base", { "a.txt": "a\n" });
    const leak = repo.commit("leak", {
      ".gitattributes": "*.env -diff\n",
      "prod.env": `LLAMA_API_KEY=${key}\n`,
    });
    const { fragments, skipped } = await range(repo, `${base}..HEAD`);
    expect(skipped).toEqual([]);
    expect(fragments.map((f) => [f.git?.commit, f.path, numberedLines(f)])).toEqual([
      [leak, ".gitattributes", [[1, "*.env -diff"]]],
      [leak, "prod.env", [[1, `LLAMA_API_KEY=${key}`]]],
    ]);
  });

  it("gives a merge the lines in none of its parents (a conflict resolution), at their line numbers", async () => {
    const repo = makeTempRepo();
    const base = repo.commit("base", { "m.txt": "x\n", "clean.txt": "1\n2\n3\n" });
    repo.git("checkout", "-q", "-b", "side");
    const side = repo.commit("side", { "m.txt": "x\nSIDE\n", "clean.txt": "1\n2\n3\nside\n" });
    repo.git("checkout", "-q", "main");
    const main = repo.commit("main", { "m.txt": "x\nMAIN\n", "clean.txt": "main\n1\n2\n3\n" });
    mergeWithConflicts(repo, "side");
    const merge = repo.commit("merge side", { "m.txt": "x\nMAIN\nSIDE\nresolved by hand\n" });

    const { fragments } = await range(repo, `${base}..main`);
    const byCommit = (commit: string) =>
      fragments.filter((f) => f.git?.commit === commit).map((f) => [f.path, numberedLines(f)]);
    expect(byCommit(merge)).toEqual([["m.txt", [[4, "resolved by hand"]]]]);
    expect(byCommit(main)).toEqual([
      ["clean.txt", [[1, "main"]]],
      ["m.txt", [[2, "MAIN"]]],
    ]);
    expect(byCommit(side)).toEqual([
      ["clean.txt", [[4, "side"]]],
      ["m.txt", [[2, "SIDE"]]],
    ]);
    expect(fragments).toHaveLength(5);
    // The merge alone: what it takes from either parent is still not its own.
    const alone = await range(repo, `${merge}^!`);
    expect(alone.fragments.map((f) => [f.git?.commit, f.path, numberedLines(f)])).toEqual([
      [merge, "m.txt", [[4, "resolved by hand"]]],
    ]);
  });

  it("reads none of main's lines in a branch that merged main in, only the branch's own", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    repo.commit("base", { "shared.txt": "a\nb\nc\nd\n", "conflict.txt": "x\n" });
    repo.git("checkout", "-q", "-b", "feature");
    const feature = repo.commit("feature", {
      "feature.txt": "feature line\n",
      "shared.txt": "a\nFEATURE\nb\nc\nd\n",
      "conflict.txt": "x\nfeature\n",
    });
    repo.git("checkout", "-q", "main");
    repo.commit("main", {
      "main.env": `LLAMA_API_KEY=${key}\n`,
      "shared.txt": "a\nb\nc\nMAIN\nd\n",
      "conflict.txt": "x\nmain\n",
    });
    repo.git("checkout", "-q", "feature");
    mergeWithConflicts(repo, "main");
    const merge = repo.commit("merge main", { "conflict.txt": "x\nfeature\nmain\nown line\n" });

    const { fragments } = await range(repo, "main..feature");
    expect(fragments.map((f) => [f.git?.commit, f.path, numberedLines(f)])).toEqual([
      [feature, "conflict.txt", [[2, "feature"]]],
      [feature, "feature.txt", [[1, "feature line"]]],
      [feature, "shared.txt", [[2, "FEATURE"]]],
      [merge, "conflict.txt", [[4, "own line"]]],
    ]);
  });

  it("reads a merge's file the attributes call binary by its content: own lines, or a notice", async () => {
    const key = plantedKey();
    const binary = (tag: number) => Buffer.from([0x89, 0x50, 0, 0, tag, 10]);
    const repo = makeTempRepo();
    repo.commit("base", {
      ".gitattributes": "*.env -diff\n",
      "p.env": "a\n",
      "img.bin": binary(1),
    });
    repo.git("checkout", "-q", "-b", "side");
    repo.commit("side", { "p.env": "a\nside\n", "img.bin": binary(2) });
    repo.git("checkout", "-q", "main");
    repo.commit("main", { "p.env": "a\nmain\n", "img.bin": binary(3) });
    mergeWithConflicts(repo, "side");
    const merge = repo.commit("merge side", {
      "p.env": `a\nmain\nside\nLLAMA_API_KEY=${key}\n`,
      "img.bin": binary(4),
      "new.env": "only in\nthe merge\n",
    });

    const { fragments, skipped } = await range(repo, "HEAD^!");
    expect(fragments.map((f) => [f.git?.commit, f.path, numberedLines(f)])).toEqual([
      [
        merge,
        "new.env",
        [
          [1, "only in"],
          [2, "the merge"],
        ],
      ],
      [merge, "p.env", [[4, `LLAMA_API_KEY=${key}`]]],
    ]);
    expect(skipped).toEqual([
      {
        path: "img.bin",
        reason: "binary",
        detail: `binary content (commit ${merge.slice(0, 12)})`,
      },
    ]);
  });

  it("skips a file adding more than the size limit by its size, without holding its lines", async () => {
    const repo = makeTempRepo();
    const base = repo.commit("base", { "a.txt": "a\n" });
    const key = plantedKey();
    const big = `${"log line with some words in it\n".repeat(40_000)}`;
    const commit = repo.commit("big", { "big.log": big, "creds.txt": `token = ${key}\n` });
    const { fragments, skipped } = await collect((onSkip) =>
      rangeFragments({
        ...gitContext(repo),
        maxFileSize: 64 * 1024,
        onSkip,
        range: `${base}..HEAD`,
      }),
    );
    expect(fragments.map((f) => [f.path, f.git?.commit, numberedLines(f)])).toEqual([
      ["creds.txt", commit, [[1, `token = ${key}`]]],
    ]);
    expect(skipped).toEqual([
      {
        path: "big.log",
        reason: "too-large",
        detail: `${big.length - 1} bytes added, over the 65536-byte limit (commit ${commit.slice(0, 12)})`,
      },
    ]);
  });

  it("fails with one line for an unknown revision", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "a.txt": "a\n" });
    await expect(range(repo, "nope..HEAD")).rejects.toThrow(/^git log failed: .*nope\.\.HEAD/);
  });
});
