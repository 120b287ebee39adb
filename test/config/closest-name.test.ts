import { describe, expect, it } from "vitest";
import { closestName, editDistance } from "../../src/config/closest-name.js";

describe("editDistance", () => {
  it("counts inserts, deletes, replacements and a swapped pair as one edit each", () => {
    expect(editDistance("entropy", "entropyy")).toBe(1);
    expect(editDistance("keywords", "keyword")).toBe(1);
    expect(editDistance("pattern", "pattren")).toBe(1);
    expect(editDistance("flags", "flugs")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("closestName", () => {
  const known = ["id", "pattern", "keywords", "secretGroup", "entropy"];
  it("finds the key a small slip meant, ignoring case", () => {
    expect(closestName("keyword", known)).toBe("keywords");
    expect(closestName("secretgroup", known)).toBe("secretGroup");
    expect(closestName("pattren", known)).toBe("pattern");
  });
  it("suggests nothing for a word like no known one", () => {
    expect(closestName("severity", known)).toBeUndefined();
    expect(closestName("xy", known)).toBeUndefined();
  });
});
