import { describe, expect, it } from "vitest";
import { configGlobMatcher } from "../../src/config/config-globs.js";

const PATHS = ["a.txt", "sub/b.txt", "vendor/lib.env", "src/vendor/x.js", "vendor", "sub/prod.env"];

function matched(...globs: string[]): string[] {
  const matcher = configGlobMatcher(globs);
  return PATHS.filter((path) => matcher?.(path) ?? false);
}

describe("configGlobMatcher", () => {
  it("gives a glob the same meaning alone as beside any other", () => {
    expect(matched("*.txt")).toEqual(["a.txt", "sub/b.txt"]);
    expect(matched("*.txt", "other/**")).toEqual(["a.txt", "sub/b.txt"]);
    expect(matched("/*.txt")).toEqual(["a.txt"]);
    expect(matched("/*.txt", "*.nothing")).toEqual(["a.txt"]);
  });

  it("reads a folder's name, with or without a slash, as the folder and all inside it", () => {
    expect(matched("vendor")).toEqual(["vendor/lib.env", "src/vendor/x.js", "vendor"]);
    expect(matched("vendor/")).toEqual(["vendor/lib.env", "src/vendor/x.js"]);
    expect(matched("/vendor/**")).toEqual(["vendor/lib.env", "vendor"]);
    expect(matched("/vendor")).toEqual(["vendor/lib.env", "vendor"]);
    expect(matched("src/vendor")).toEqual(["src/vendor/x.js"]);
  });

  it("lets a ! glob take back what an earlier one matched, the last match deciding", () => {
    expect(matched("**/*.env", "!sub/**")).toEqual(["vendor/lib.env"]);
    expect(matched("!sub/**", "**/*.env")).toEqual(["vendor/lib.env", "sub/prod.env"]);
    expect(matched("!sub/**")).toEqual([]);
  });
});
