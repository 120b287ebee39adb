import { describe, expect, it } from "vitest";
import { compileRule } from "../../src/config/compile-rules.js";
import { expandExample } from "../../src/config/example-template.js";
import { type RawRuleInput, ruleSchema } from "../../src/config/rule-schema.js";
import { shannonEntropy } from "../../src/engine/entropy.js";
import { ruleTakesSecret } from "../../src/engine/secret-checks.js";

/** A rule with an entropy floor or an allowlist, compiled as rule files are. */
function ruleWith(fields: Partial<RawRuleInput>) {
  const raw = ruleSchema.parse({
    id: "demo-key",
    title: "Demo key",
    provider: "demo",
    pattern: "demo_key = (?<secret>\\w+)",
    keywords: ["demo_key"],
    remediation: "Rotate it.",
    examples: { match: ["demo_key = [[abcd]]"], nomatch: ["demo_key"] },
    ...fields,
  });
  return compileRule(raw, { file: "rules/demo.yaml", builtin: true });
}

describe("expandExample", () => {
  it("expands templates and returns the secret the example marks", () => {
    const { text, markedSecret } = expandExample('key = "[[sk_{{digits:6}}]]"');
    expect(text).toMatch(/^key = "sk_[0-9]{6}"$/);
    expect(markedSecret).toBe(text.slice(7, -1));
  });

  it("draws again a secret below the rule's entropy, which the rule would not report", () => {
    const rule = ruleWith({ entropy: 1 });
    // Eight draws of a or b reach 1 bit per character only when split four and four: about a
    // quarter of draws, so without the redraw some of these would fall below.
    for (let i = 0; i < 100; i++) {
      const { markedSecret } = expandExample("[[{{chars:ab:8}}]]", (secret) =>
        ruleTakesSecret(rule, secret),
      );
      expect(shannonEntropy(markedSecret!)).toBe(1);
    }
  });

  it("draws again a secret the rule's own allowlist drops: an allowed shape, a stop word", () => {
    const rule = ruleWith({ allow: { secrets: ["^[a-c]+$"], stopwords: ["ad"] } });
    // Four draws of a to d: all of a to c about a third of the time, "ad" in about a third.
    for (let i = 0; i < 100; i++) {
      const { markedSecret } = expandExample("[[{{chars:abcd:4}}]]", (secret) =>
        ruleTakesSecret(rule, secret),
      );
      expect(markedSecret).toMatch(/d/);
      expect(markedSecret).not.toMatch(/ad/i);
    }
  });

  it("gives up redrawing a secret the rule can never take", () => {
    expect(expandExample("[[{{chars:a:5}}]]", () => false).markedSecret).toBe("aaaaa");
  });
});
