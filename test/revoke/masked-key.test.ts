import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { findByMaskedKey, matchesMaskedKey } from "../../src/revoke/masked-key.js";

describe("matchesMaskedKey", () => {
  const key = `sk-proj-${expandTemplate("{{alnum:60}}")}`;

  it("matches prefix...suffix, star and ellipsis masks of the key", () => {
    expect(matchesMaskedKey(`${key.slice(0, 10)}...${key.slice(-4)}`, key)).toBe(true);
    expect(matchesMaskedKey(`${key.slice(0, 8)}****${key.slice(-4)}`, key)).toBe(true);
    expect(matchesMaskedKey(`${key.slice(0, 8)}…${key.slice(-6)}`, key)).toBe(true);
  });

  it("rejects a mask of another key, or one showing too little to tell", () => {
    expect(matchesMaskedKey(`${key.slice(0, 10)}...zzzz`, key)).toBe(false);
    expect(matchesMaskedKey("sk...", key)).toBe(false);
    expect(matchesMaskedKey(`${key}x...${key.slice(-4)}`, key)).toBe(false);
  });

  it("compares an unmasked value whole", () => {
    expect(matchesMaskedKey(key, key)).toBe(true);
    expect(matchesMaskedKey(key.slice(0, -1), key)).toBe(false);
  });

  it("refuses to pick between several matches", () => {
    const masked = `${key.slice(0, 10)}...${key.slice(-4)}`;
    expect(findByMaskedKey([{ m: masked }, { m: masked }], (e) => e.m, key)).toEqual({
      error: expect.stringContaining("refusing to guess"),
    });
    expect(findByMaskedKey([{ m: "other...tail" }, { m: masked }], (e) => e.m, key)).toEqual({
      entry: { m: masked },
    });
  });
});
