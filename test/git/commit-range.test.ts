import { describe, expect, it } from "vitest";
import { rangeFragments } from "../../src/sources/commit-range.js";
import { makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { collect, gitContext, numberedLines } from "./helpers.js";

function range(repo: TempRepo, spec: string) {
  return collect((onSkip) =>
    rangeFragments({ ...gitContext(repo), maxFileSize: 1024 * 1024, onSkip, range: spec }),
  );
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

  it("fails with one line for an unknown revision", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "a.txt": "a\n" });
    await expect(range(repo, "nope..HEAD")).rejects.toThrow(/^git log failed: .*nope\.\.HEAD/);
  });
});
