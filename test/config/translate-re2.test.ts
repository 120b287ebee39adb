import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { configGlobMatcher } from "../../src/config/config-globs.js";
import { pathRegexToGlobs } from "../../src/config/path-regex-to-glob.js";
import { Re2Error, translateRe2 } from "../../src/config/translate-re2.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const CORPUS = join(REPO_ROOT, "..", "shared", "corpus");
const hasCorpus = existsSync(join(CORPUS, "gitleaks.jsonl"));
if (!hasCorpus) console.warn(`translate-re2.test.ts: corpus checks skipped: ${CORPUS} not found`);

function js(pattern: string, secretGroup?: number) {
  const t = translateRe2(pattern, secretGroup === undefined ? {} : { secretGroup });
  return { ...t, regex: new RegExp(t.source, t.flags) };
}

describe("translateRe2", () => {
  it("hoists a leading (?i) into the i flag", () => {
    const t = js("(?i)token_[a-z]{4}");
    expect(t.flags).toBe("i");
    expect(t.regex.test("TOKEN_ABCD")).toBe(true);
  });

  it("spells out case-insensitivity that is switched off again, and (?i:...) groups", () => {
    const t = js("(?i)(facebook|fb)(.{0,20})?(?-i)['\"][0-9a-f]{32}['\"]");
    expect(t.flags).toBe("");
    const hex = "0123456789abcdef0123456789abcdef";
    expect(t.regex.test(`FaceBook_secret = "${hex}"`)).toBe(true);
    expect(t.regex.test(`facebook = "${hex.toUpperCase()}"`)).toBe(false);
    const scoped = js("abc(?i:def)[^x-z]");
    expect(scoped.regex.test("abcDEF1")).toBe(true);
    expect(scoped.regex.test("ABCdef1")).toBe(false);
    const inClass = js("key(?i:[a-c]+)!");
    expect(inClass.regex.test("keyAbC!")).toBe(true);
  });

  it("translates \\z, \\A, \\Q..\\E, POSIX classes, \\x{...}, octal, (?P<name>) and (?s)", () => {
    expect(js("[[:alpha:]]+\\z").regex.test("abc\n")).toBe(false);
    expect(js("[[:alpha:]]+\\z").regex.test("abc")).toBe(true);
    expect(js("\\Aabc").regex.test("xabc")).toBe(false);
    expect(js("\\Qa.b*\\E").regex.test("a.b*")).toBe(true);
    expect(js("\\Qa.b*\\E").regex.test("aXbb")).toBe(false);
    expect(js("[[:^digit:]]").regex.test("7")).toBe(false);
    expect(js("\\x{41}\\101").regex.test("AA")).toBe(true);
    expect(js("(?P<tok>x{2,})").source).toBe("(?<tok>x{2,})");
    expect(js("(?s)BEGIN.*END").regex.test("BEGIN\nEND")).toBe(true);
    expect(js("BEGIN(?s:.*)END").regex.test("BEGIN\nEND")).toBe(true);
    expect(js("BEGIN.*END").regex.test("BEGIN\nEND")).toBe(false);
    expect(js("(?m)^key$").regex.test("a\nkey\nb")).toBe(true);
    expect(js("x(?m:^key$)").regex.test("x\nkey")).toBe(false);
    expect(js("a{,3}").regex.test("a{,3}")).toBe(true);
    expect(js("[]a]+").regex.test("]a]")).toBe(true);
    expect(js("\\pL+").flags).toContain("u");
    expect(js("\\p{Greek}").regex.test("α")).toBe(true);
    expect(js("(?U)a+").regex.exec("aaa")![0]).toBe("a");
  });

  it("makes escapes JavaScript's u mode would reject plain", () => {
    const t = js("[\\'\\\"0-9a-zA-Z\\/+]{40}\\x{1F600}");
    expect(t.flags).toBe("u");
    expect(t.regex.test(`${"a".repeat(40)}😀`)).toBe(true);
  });

  it("picks the secret group as gitleaks does, skipping groups that hold no value", () => {
    expect(
      js("(?i)(discord[a-z0-9_ .\\-,]{0,25})(=|:).{0,5}['\"]([a-h0-9]{64})['\"]", 3).secretGroup,
    ).toBe("secret");
    const generic = js(
      "(?i)(?:key|token)(?:[0-9a-z\\-_\\t .]{0,20})(?:=|:)(?:'|\"|\\s){0,5}([0-9a-z\\-_.=]{10,150})",
    );
    expect(generic.regex.exec("api_key = 'abcdefghijkl'")?.groups?.secret).toBe("abcdefghijkl");
    expect(js("(ghu|ghs)_[0-9a-zA-Z]{36}").secretGroup).toBeUndefined();
    expect(js("((?i)(mailgun|mg)(.{0,20})?)?key-[0-9a-z]{32}").secretGroup).toBeUndefined();
    expect(js("(a)|(b)").secretGroup).toBeUndefined();
    expect(() => translateRe2("(a)(b)", { secretGroup: 3 })).toThrow(
      /secretGroup 3 but the pattern has only 2/,
    );
  });

  it("refuses what JavaScript cannot express, with a reason", () => {
    expect(() => translateRe2("a\\Cb")).toThrow(Re2Error);
    expect(() => translateRe2("(a")).toThrow(/missing closing \)/);
    expect(() => translateRe2("[a")).toThrow(/missing closing \]/);
    expect(() => translateRe2("\\pL", { allowFlags: false })).toThrow(/u flag/);
  });

  it.skipIf(!hasCorpus)(
    "translates every gitleaks default rule, and each matches its true-positive examples",
    () => {
      const config = parseToml(
        readFileSync(join(CORPUS, "gitleaks", "config", "gitleaks.toml"), "utf8"),
      ) as {
        rules: { id: string; regex?: string; secretGroup?: number }[];
      };
      const regexes = new Map<string, RegExp>();
      for (const rule of config.rules) {
        if (!rule.regex) continue;
        const t = translateRe2(
          rule.regex,
          rule.secretGroup ? { secretGroup: rule.secretGroup } : {},
        );
        regexes.set(rule.id, new RegExp(t.source, t.flags));
      }
      expect(regexes.size).toBeGreaterThan(200);
      let checked = 0;
      const misses: string[] = [];
      for (const line of readFileSync(join(CORPUS, "gitleaks.jsonl"), "utf8").split("\n")) {
        if (!line) continue;
        const record = JSON.parse(line) as {
          type: string;
          kind: string;
          rule?: string;
          text?: string | null;
          path?: string;
        };
        if (record.type !== "example" || record.kind !== "tp" || !record.text || record.path)
          continue;
        const regex = regexes.get(record.rule ?? "");
        if (!regex) continue;
        checked++;
        if (!regex.test(record.text)) misses.push(`${record.rule}: ${record.text.slice(0, 80)}`);
      }
      expect(checked).toBeGreaterThan(500);
      expect(misses).toEqual([]);
    },
  );
});

describe("pathRegexToGlobs", () => {
  it.each([
    ["\\.env\\.prod$", ["**/*.env.prod"]],
    ["(?:^|/)vendor/", ["**/vendor/*"]],
    ["^docs/.*\\.md$", ["docs/**/*.md"]],
    ["^docs/.*$", ["docs/*"]],
    ["(.*?)(jpg|gif|svg)$", ["**/*{jpg,gif,svg}"]],
    ["(go.mod|go.sum)$", ["**/*{go?mod,go?sum}"]],
    ["^node_modules/.*", ["node_modules/*"]],
    ["(?:^|/)@octokit/auth-token/README\\.md$", ["**/@octokit/auth-token/README.md"]],
    ["^.*\\.(xml|log|json)$", ["**/*.{xml,log,json}"]],
    ["\\.(?:jpe?g|tiff?)$", ["**/*.{jp{e,}g,tif{f,}}"]],
    ["ignore\\.xaml", ["**/*ignore.xaml*"]],
  ])("%s", (regex, globs) => {
    expect(pathRegexToGlobs(regex).globs).toEqual(globs);
  });

  it("anchors a regex anchored at the start to the config's folder, not to any depth", () => {
    expect(pathRegexToGlobs("^config\\.json$").globs).toEqual(["/config.json"]);
    expect(pathRegexToGlobs("^build").globs).toEqual(["/build*"]);
  });

  it("never gives globs that match a path the regex does not, unless it lists a widening", () => {
    const paths = [
      "bin",
      "bin/config.env",
      "src/robin/app.env",
      "src/robin",
      "docs.bin/x.env",
      "x.lock",
      "x.lock/app.env",
      "a/b.lock",
      "package-lock.json",
      "package-lock.json/app.env",
      "web/package-lock.json",
      "docs",
      "docs/a.md",
      "docs/a.md/app.env",
      "docs/sub/b.md",
      "other/docs/a.md",
      "vendor",
      "vendor/lib/app.env",
      "x/vendor/app.env",
      "build",
      "build.env",
      "builder/app.env",
      "go.mod",
      "go.mod/app.env",
      "a/ignore.xaml.bak/app.env",
      "logo.jpg",
      "assets/logo.jpg",
    ];
    const cases = [
      ["(.*?)(jpg|gif|doc|pdf|bin)$", true],
      ["\\.lock$", true],
      ["package-lock\\.json$", true],
      ["^docs/.*\\.md$", true],
      ["(go.mod|go.sum)$", true],
      ["^config\\.json$", true],
      ["^docs/.*$", false],
      ["^docs/", false],
      ["(?:^|/)vendor/", false],
      ["^node_modules/.*", false],
      ["^build", false],
      ["ignore\\.xaml", false],
      ["\\.jpg", false],
    ] as const;
    for (const [regex, widens] of cases) {
      const conversion = pathRegexToGlobs(regex);
      expect(conversion.widenings.length > 0, regex).toBe(widens);
      if (widens) continue;
      const globs = configGlobMatcher(conversion.globs)!;
      const re = new RegExp(regex);
      for (const path of paths) expect(globs(path), `${regex} on ${path}`).toBe(re.test(path));
    }
  });

  it("says where the globs would match more than the regex, apart from stricter notes", () => {
    expect(pathRegexToGlobs("[0-9]+\\.json").widenings).toEqual([
      "[0-9] repeated would become * (any characters within a path segment)",
    ]);
    expect(pathRegexToGlobs("[^/]+\\.json").widenings).toEqual([]);
  });

  it("refuses regexes with no glob form", () => {
    expect(() => pathRegexToGlobs("\\d+\\.log")).toThrow(/no glob form/);
    expect(() => pathRegexToGlobs("(ab)+")).toThrow(/no glob form/);
  });
});
