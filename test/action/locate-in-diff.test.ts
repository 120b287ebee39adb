import { describe, expect, it } from "vitest";
import { addedLinesOfChange } from "../../src/action/locate-in-diff.js";
import { GIT_ENV, makeTempRepo } from "../helpers/git-repo.js";

describe("addedLinesOfChange", () => {
  it("reads the lines of a text file that the repository's attributes call binary", async () => {
    const repo = makeTempRepo();
    const base = repo.commit("base", { ".gitattributes": "*.env -diff\n", "a.env": "A=1\n" });
    const head = repo.commit("change", {
      "a.env": "A=1\nB=2\n",
      "new.env": "C=3\n",
      "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
    });
    const env = { ...process.env, ...GIT_ENV };
    const byPath = await addedLinesOfChange(base, head, { cwd: repo.dir, env });
    const lines = [...byPath.values()].flat().map(({ path, line, text }) => [path, line, text]);
    expect(lines.sort()).toEqual([
      ["a.env", 2, "B=2"],
      ["new.env", 1, "C=3"],
    ]);
  });
});
