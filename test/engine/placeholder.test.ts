import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { isPlaceholderSecret } from "../../src/engine/placeholder.js";

describe("isPlaceholderSecret", () => {
  it("knows the example tokens of the OAuth specifications", () => {
    for (const token of ["2YotnFZFEjr1zCsicMWpAA", "mF_9.B5f-4.1JqM", "SlAV32hkKG"]) {
      expect(isPlaceholderSecret(token), token).toBe(true);
    }
  });

  it("takes random tokens of the same shape for keys", () => {
    for (const template of ["{{alnum:22}}", "{{alnum:10}}"]) {
      const token = expandTemplate(template);
      expect(isPlaceholderSecret(token), token).toBe(false);
    }
  });
});
