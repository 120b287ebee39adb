import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configGlobMatcher, globSources, usePrebuiltGlobs } from "../../src/config/config-globs.js";
import type { RawRule } from "../../src/config/rule-schema.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

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

describe("prebuilt glob expressions", () => {
  it("are what the matcher uses for a glob the build compiled", () => {
    // Not what picomatch would make of the glob: seeing it used shows the table is read.
    usePrebuiltGlobs({ "**/*.prebuilt-test": "^elsewhere\\.txt$" });
    const matcher = configGlobMatcher(["*.prebuilt-test"]);
    expect(matcher?.("elsewhere.txt")).toBe(true);
    expect(matcher?.("a.prebuilt-test")).toBe(false);
  });

  it("are in the built rules for every built-in rule's path globs, as picomatch now makes them", () => {
    const built = JSON.parse(readFileSync(join(REPO_ROOT, "dist/rules.json"), "utf8")) as {
      raw: RawRule;
      globs?: Record<string, string>;
    }[];
    const withGlobs = built.filter(({ raw }) => raw.paths || raw.allow?.paths);
    expect(withGlobs.length).toBeGreaterThan(0);
    for (const { raw, globs } of withGlobs) {
      const listed = [
        ...(raw.paths?.include ?? []),
        ...(raw.paths?.exclude ?? []),
        ...(raw.allow?.paths ?? []),
      ];
      expect(globs, raw.id).toEqual(globSources(listed));
    }
  });
});
