import { describe, expect, it } from "vitest";
import { allowAfterEscape } from "../../src/config/escape-boundary.js";
import { expandExample, expandTemplate } from "../../src/config/example-template.js";
import { loadBuiltinRules } from "../../src/config/load-rules.js";
import { createDetector } from "../../src/engine/detector.js";
import { ruleTakesSecret } from "../../src/engine/secret-checks.js";

describe("allowAfterEscape", () => {
  const opening = "(?<![A-Za-z0-9_-])";
  const pattern = `${opening}tok_[a-z]{8}`;

  it("lets a pattern that opens with a word look-behind start after an escape", () => {
    const rewritten = new RegExp(allowAfterEscape(pattern, ""));
    const escapes = ["\\n", "\\r", "\\t", "%20", "%3D", "\\u0022", "\\x22"];
    const colours = ["\x1b[32m", "\\u001b[0;32m", "\\033[1m"];
    for (const sequence of [...escapes, ...colours]) {
      expect(rewritten.exec(`"a${sequence}tok_abcdefgh"`)?.[0], sequence).toBe("tok_abcdefgh");
    }
    // A shell default, whatever the variable's state it is used for.
    for (const operator of [":-", "-", ":=", ":+"]) {
      expect(rewritten.exec(`"\${API_TOKEN${operator}tok_abcdefgh}"`)?.[0], operator).toBe(
        "tok_abcdefgh",
      );
    }
    // Still the tail of no word: a letter alone, after any other backslash, a bare %, or a
    // hyphen that joins words.
    for (const before of ["n", "\\q", "%2", "x20", "[32m", "build-", "$A-", "}-"]) {
      expect(rewritten.test(`${before}tok_abcdefgh`), before).toBe(false);
    }
  });

  it("leaves other patterns as they are", () => {
    for (const other of [
      "tok_[a-z]{8}",
      // Its look-behind takes the escapes' last characters already.
      "(?<![_])tok_[a-z]{8}",
      `${opening}tok_[a-z]{8}|other`,
      `(?<=[=:])${pattern}`,
    ]) {
      expect(allowAfterEscape(other, "")).toBe(other);
    }
  });
});

describe("built-in rules", () => {
  it("find keys that follow an escape inside a string", async () => {
    const detector = createDetector(await loadBuiltinRules());
    const github = expandTemplate("ghp_{{alnum:36}}");
    const anthropic = expandTemplate("sk-ant-api03-{{alnum:93}}AA");
    const text = `{"tokens": "first\\n${github}", "url": "?k=Bearer%20${anthropic}"}\n`;
    const found = detector
      .detect({ path: "config.json", text, startLine: 1 })
      .map((finding) => [finding.ruleId, finding.secret])
      .sort();
    expect(found).toEqual([
      ["anthropic-api-key", anthropic],
      ["github-pat", github],
    ]);
  });

  it("find a key given as a shell or docker-compose default wherever they find it bare", async () => {
    const rules = await loadBuiltinRules();
    const detector = createDetector(rules);
    const shapes = [
      // biome-ignore-start lint/suspicious/noTemplateCurlyInString: shell syntax, on purpose
      'TOKEN="${API_TOKEN:-KEY}"',
      "      API_TOKEN: ${API_TOKEN:-KEY}",
      "TOKEN=${API_TOKEN-KEY}",
      "TOKEN=${API_TOKEN:=KEY}",
      "TOKEN=${API_TOKEN:+KEY}",
      // biome-ignore-end lint/suspicious/noTemplateCurlyInString: shell syntax, on purpose
    ];
    const missed: string[] = [];
    let tried = 0;
    for (const rule of rules.filter((each) => each.report)) {
      for (const example of rule.raw.examples.match) {
        const template = typeof example === "string" ? example : example.text;
        const key = expandExample(template, (secret) => ruleTakesSecret(rule, secret)).markedSecret;
        if (!key || key.includes("\n")) continue;
        const found = (text: string, path: string) =>
          detector
            .detect({ text: `${text}\n`, path, startLine: 1 })
            .some((finding) => finding.ruleId === rule.id && finding.secret === key);
        // Keys a rule knows by their name or place are not expected here.
        if (!found(`echo ${key}`, "notes.txt")) continue;
        tried++;
        for (const shape of shapes) {
          if (!found(shape.replace("KEY", key), "run.sh")) missed.push(`${rule.id}: ${shape}`);
        }
        break;
      }
    }
    expect(tried).toBeGreaterThan(150);
    expect(missed).toEqual([]);
  });
});
