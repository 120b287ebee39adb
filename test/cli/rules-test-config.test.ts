import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/config/compile-rules.js";
import { readBuiltinRuleSources } from "../../src/config/read-rule-files.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { REPO_ROOT, runCli } from "../helpers/run-cli.js";

/** A config rule whose no-match example does match: `rules test` must say so. */
const CONFIG = [
  "rules:",
  "  - id: beta-token",
  "    title: Beta token",
  "    provider: beta",
  "    pattern: 'beta_(?<secret>[A-Za-z0-9]{32})'",
  "    keywords: [beta_]",
  "    examples:",
  "      match: ['beta_[[{{alnum:32}}]]']",
  "      nomatch: ['beta_{{alnum:32}}']",
  "",
].join("\n");

describe("keywarden rules test on a config's own rules", () => {
  it("runs their examples, with the built-in rules or from the config named", async () => {
    const repo = makeTempRepo({ ".keywarden.yaml": CONFIG });
    mkdirSync(join(repo.dir, "sub"));
    writeFileSync(join(repo.dir, "sub", "other.yaml"), "useDefault: true\n");
    for (const args of [[], [".keywarden.yaml"]]) {
      const result = await runCli(["rules", "test", ...args], { cwd: repo.dir });
      expect(result.exitCode, args.join(" ")).toBe(1);
      expect(result.stdout).toMatch(/^\.keywarden\.yaml:2: rule beta-token: .*nomatch/m);
      expect(result.stdout).toMatch(/, 1 problems\n$/);
    }
  });
});

describe("the count of built-in rules", () => {
  it("is one number in rules list, rules test and the README, helper rules counted apart", async () => {
    const cwd = makeTempDir();
    const lastLine = (text: string) => text.trimEnd().split("\n").at(-1)!;
    const listed = lastLine((await runCli(["rules", "list"], { cwd })).stdout);
    const tested = lastLine((await runCli(["rules", "test"], { cwd })).stdout);
    const count = /^(\d+) rules/.exec(listed)?.[1];
    expect(count).toBeDefined();
    // Helpers are counted apart, and named.
    const helpers = compileRules(readBuiltinRuleSources())
      .filter((rule) => !rule.report)
      .map((rule) => rule.id);
    expect(helpers.length).toBeGreaterThan(0);
    const named = `${helpers.length} helper rule${helpers.length === 1 ? "" : "s"} (${helpers.join(", ")})`;
    expect(tested.startsWith(`${count} rules and ${named}, `), tested).toBe(true);
    expect(listed.startsWith(`${count} rules, and ${named} not listed`), listed).toBe(true);
    const readme = readFileSync(`${REPO_ROOT}/README.md`, "utf8");
    const stated = [...readme.matchAll(/\b(\d+) rules(?: for|,|`)/g)].map((match) => match[1]);
    expect(stated.length).toBeGreaterThan(0);
    for (const number of stated) expect(number).toBe(count);
  });
});

describe("keywarden rules list", () => {
  it("shows the control characters of a config rule's title rather than sending them", async () => {
    // YAML's "\e" and "\a" are ESC and BEL: a repository's config can hold any text.
    const config = CONFIG.replace("title: Beta token", 'title: "Beta \\e]0;pwned\\a\\e[2J token"');
    const repo = makeTempRepo({ ".keywarden.yaml": config });
    const result = await runCli(["rules", "list"], { cwd: repo.dir });
    expect(result.exitCode).toBe(0);
    const line = result.stdout.split("\n").find((text) => text.startsWith("beta-token"));
    expect(line).toContain("Beta \\x1b]0;pwned\\x07\\x1b[2J token");
    expect(result.stdout).not.toContain("\u001b");
    expect(result.stdout).not.toContain("\u0007");
  });
});
