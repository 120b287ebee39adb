import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { ConfigError } from "../../src/errors.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

/** A config whose second rule (line 8) gets `fields`, from line 12; the first rule is sound. */
function configWith(fields: string): string {
  return [
    "useDefault: false",
    "rules:",
    "  - id: first-token",
    "    title: First token",
    "    provider: acme",
    "    pattern: 'first_[a-z]{8}'",
    "    keywords: [first_]",
    "  - id: second-token",
    "    title: Second token",
    "    provider: acme",
    "    keywords: [second_]",
    fields,
  ].join("\n");
}

async function loadError(text: string): Promise<string> {
  const error = await loadConfig({
    cwd: REPO_ROOT,
    configText: { text, name: ".keywarden.yaml" },
  }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

describe("loadConfig on a broken config", () => {
  it.each([
    [
      "a pattern that does not compile",
      "    pattern: '(?<secret>second_'",
      /^\.keywarden\.yaml:12: rule second-token field pattern: invalid regular expression: /,
    ],
    [
      "a pattern written as a block over several lines",
      "    pattern: |\n      (?<secret>second_\n      [a-z]{8}",
      /^\.keywarden\.yaml:12: rule second-token field pattern: invalid regular expression: \/\(\?<secret>second_\\n\[a-z\]\{8\}\\n\//,
    ],
    [
      "a pattern matching the empty string",
      "    pattern: '(?:second_)?'",
      /^\.keywarden\.yaml:12: rule second-token field pattern: matches the empty string/,
    ],
    [
      "an unknown secretGroup",
      "    pattern: 'second_(?<key>[a-z]{8})'\n    secretGroup: token",
      /^\.keywarden\.yaml:13: rule second-token field secretGroup: the pattern has no group named "token"/,
    ],
    [
      "a flag written twice",
      "    pattern: 'second_[a-z]{8}'\n    flags: ii",
      /^\.keywarden\.yaml:13: rule second-token field flags: "ii" repeats a flag \(write each of i, m, s, u once\)$/,
    ],
    [
      "a secretGroup that is no group name",
      "    pattern: 'second_(?<key>[a-z]{8})'\n    secretGroup: my-key",
      /^\.keywarden\.yaml:13: rule second-token field secretGroup: the pattern has no group named "my-key" \(a group name is letters, digits, _ and \$ and does not start with a digit; a number names the n-th capturing group\)$/,
    ],
    [
      "an allow regex that does not compile",
      "    pattern: 'second_[a-z]{8}'\n    allow:\n      lines: ['ok', '(']",
      /^\.keywarden\.yaml:14: rule second-token field allow\.lines\[1\]: invalid regular expression: /,
    ],
    [
      "a pattern that repeats a repeat, which backtracks without end",
      "    pattern: 'second_(?<secret>(?:[a-z]+)+)$'",
      /^\.keywarden\.yaml:12: rule second-token field pattern: \(\?:\[a-z\]\+\)\+ repeats a repeat: a line that almost matches takes exponential time to reject, and the scan would hang; /,
    ],
    [
      "an allow regex that repeats a repeat",
      "    pattern: 'second_[a-z]{8}'\n    allow:\n      lines: ['(\\w+\\s?)*$']",
      /^\.keywarden\.yaml:14: rule second-token field allow\.lines\[0\]: \(\\w\+\\s\?\)\* repeats a repeat/,
    ],
    [
      "a requires naming no rule",
      "    pattern: 'second_[a-z]{8}'\n    requires: {rule: no-such-rule, within: 2}",
      /^\.keywarden\.yaml:13: rule second-token field requires\.rule: no rule with id "no-such-rule"/,
    ],
  ])("names the field's file:line, the rule and the field for %s", async (_, fields, expected) => {
    const message = await loadError(configWith(fields));
    expect(message).toMatch(expected);
    expect(message).not.toContain("\n");
  });

  it("names the line of a bad global allow regex and of an unknown disabled rule", async () => {
    const sound = configWith("    pattern: 'second_[a-z]{8}'");
    expect(await loadError(`${sound}\nallow:\n  secrets:\n    - '['\n`)).toMatch(
      /^\.keywarden\.yaml:15: field allow\.secrets\[0\]: invalid regular expression: /,
    );
    expect(await loadError(`${sound}\ndisable:\n  - first-token\n  - no-such-rule\n`)).toMatch(
      /^\.keywarden\.yaml:15: field disable: no rule with id "no-such-rule"/,
    );
  });
});

describe("loadConfig on keys and values the schema refuses", () => {
  it("names a misspelt key of a rule at its own line, with the key it most likely means", async () => {
    const message = await loadError(
      configWith("    pattern: 'second_[a-z]{8}'\n    entropyy: 3.5"),
    );
    expect(message).toMatch(
      /^\.keywarden\.yaml:13: rule second-token field entropyy: unknown key \(did you mean entropy\?\)$/,
    );
  });

  it("suggests a top-level key too, and nothing for a key like no known one", async () => {
    const sound = configWith("    pattern: 'second_[a-z]{8}'");
    expect(await loadError(`${sound}\nexcludes: [dist]\n`)).toMatch(
      /^\.keywarden\.yaml:13: field excludes: unknown key \(did you mean exclude\?\)$/,
    );
    expect(await loadError(`${sound}\nwhatever: 1\n`)).toMatch(
      /^\.keywarden\.yaml:13: field whatever: unknown key$/,
    );
  });

  it("refuses a glob that climbs out of the config's folder, which would match nothing", async () => {
    const sound = configWith("    pattern: 'second_[a-z]{8}'");
    expect(await loadError(`${sound}\nexclude:\n  - vendor\n  - ../shared/**\n`)).toMatch(
      /^\.keywarden\.yaml:15: field exclude\[1\]: a \.\. segment matches nothing: globs name paths inside the config's folder$/,
    );
    // `..` inside a name is no segment.
    const dotted = await loadConfig({
      cwd: REPO_ROOT,
      configText: { text: `${sound}\nexclude: ["notes..old/**"]\n`, name: ".keywarden.yaml" },
    });
    expect(dotted.rules.length).toBeGreaterThan(0);
  });

  it("writes a field's place one way, whichever check refused it", async () => {
    const sound = configWith("    pattern: 'second_[a-z]{8}'");
    expect(await loadError(`${sound}\nallow:\n  commits: [abcdef, 12]\n`)).toMatch(
      /^\.keywarden\.yaml:14: field allow\.commits\[1\]: /,
    );
  });

  it("refuses a !!binary value in one line", async () => {
    const message = await loadError(
      configWith("    pattern: 'second_[a-z]{8}'\nallow: !!binary aGVsbG8="),
    );
    expect(message).toBe(
      ".keywarden.yaml:13: field allow: a binary value (!!binary) is not allowed here",
    );
  });
});

describe("loadConfig's disable", () => {
  it("switches off the built-in rule of an id, leaving one's own rule of that id in force", async () => {
    const config = await loadConfig({
      cwd: REPO_ROOT,
      configText: {
        name: ".keywarden.yaml",
        text: [
          "disable: [groq-api-key]",
          "rules:",
          "  - id: groq-api-key",
          "    title: Our own Groq rule",
          "    provider: acme",
          "    pattern: 'gsk_(?<secret>[A-Za-z0-9]{52})'",
          "    keywords: [gsk_]",
        ].join("\n"),
      },
    });
    const groq = config.rules.filter((rule) => rule.id === "groq-api-key");
    expect(groq.map((rule) => [rule.title, rule.source.builtin])).toEqual([
      ["Our own Groq rule", false],
    ]);
  });

  it("switches off a rule of one's own whose id no built-in rule has", async () => {
    const config = await loadConfig({
      cwd: REPO_ROOT,
      configText: {
        name: ".keywarden.yaml",
        text: configWith("    pattern: 'second_[a-z]{8}'\ndisable: [second-token]"),
      },
    });
    expect(config.rules.map((rule) => rule.id)).toEqual(["first-token"]);
  });
});

describe("loadConfig on YAML anchors", () => {
  it("honours merge keys, and an anchor reused by many rules", async () => {
    const rules = Array.from({ length: 150 }, (_, index) =>
      [
        `  - <<: *first`,
        `    id: r${index}-token`,
        `    pattern: 'r${index}tok_[A-Za-z0-9]{32}'`,
        `    keywords: [r${index}tok_]`,
        "    allow: *allow",
      ].join("\n"),
    );
    const sound = await loadConfig({
      cwd: REPO_ROOT,
      configText: {
        name: ".keywarden.yaml",
        text: [
          "useDefault: false",
          "allow: &allow",
          "  stopwords: [example]",
          "rules:",
          "  - &first",
          "    id: first-token",
          "    title: Shared",
          "    provider: acme",
          "    pattern: 'first_[A-Za-z0-9]{32}'",
          "    keywords: [first_]",
          ...rules,
        ].join("\n"),
      },
    });
    expect(sound.rules).toHaveLength(151);
    expect(sound.rules.every((rule) => rule.title === "Shared")).toBe(true);
  });

  it("refuses aliases expanding without bound as a config error", async () => {
    const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level++)
      levels.push(
        `a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(", ")}]`,
      );
    expect(await loadError(`${levels.join("\n")}\n`)).toMatch(
      /^\.keywarden\.yaml: not usable YAML/,
    );
  });

  it("refuses an alias inside the value its own anchor names, at its line", async () => {
    const sound = configWith("    pattern: 'second_[a-z]{8}'");
    expect(await loadError(`${sound}\nexclude: &loop [vendor, *loop]\n`)).toBe(
      ".keywarden.yaml:13: not usable YAML: the alias *loop stands inside the value its anchor &loop names, so that value would hold itself",
    );
    expect(await loadError("rules:\n  - &rule {id: x, more: [*rule]}\n")).toMatch(
      /^\.keywarden\.yaml:2: not usable YAML: the alias \*rule /,
    );
  });
});
