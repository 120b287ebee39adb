import { describe, expect, it } from "vitest";
import { expandExample } from "../../src/config/example-template.js";
import { shannonEntropy } from "../../src/engine/entropy.js";

describe("expandExample", () => {
  it("expands templates and returns the secret the example marks", () => {
    const { text, markedSecret } = expandExample('key = "[[sk_{{digits:6}}]]"');
    expect(text).toMatch(/^key = "sk_[0-9]{6}"$/);
    expect(markedSecret).toBe(text.slice(7, -1));
  });

  it("draws again a secret below the rule's entropy, which the rule would not report", () => {
    // Eight draws of a or b reach 1 bit per character only when split four and four: about a
    // quarter of draws, so without the redraw some of these would fall below.
    for (let i = 0; i < 100; i++) {
      const { markedSecret } = expandExample("[[{{chars:ab:8}}]]", 1);
      expect(shannonEntropy(markedSecret!)).toBe(1);
    }
  });

  it("gives up redrawing a secret that can never reach the entropy asked", () => {
    expect(expandExample("[[{{chars:a:5}}]]", 1).markedSecret).toBe("aaaaa");
  });
});
