import { describe, expect, it } from "vitest";
import { allowAfterEscape } from "../../src/config/escape-boundary.js";
import { expandTemplate } from "../../src/config/example-template.js";
import { loadBuiltinRules } from "../../src/config/load-rules.js";
import { createDetector } from "../../src/engine/detector.js";

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
    // Still the tail of no word: a letter alone, after any other backslash, or a bare %.
    for (const before of ["n", "\\q", "%2", "x20", "[32m"]) {
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
});
