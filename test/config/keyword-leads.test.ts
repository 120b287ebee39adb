import { describe, expect, it } from "vitest";
import { keywordLeads } from "../../src/config/keyword-leads.js";

describe("keywordLeads", () => {
  it("measures how far into every match each keyword starts", () => {
    expect(keywordLeads("tokens?=[a-z]{8}", "", ["token"])).toEqual({ token: [0] });
    expect(keywordLeads("(?<![a-z])(?:api|access)[_.\\-]?[Kk]eys?=", "", ["key"])).toEqual({
      key: [3, 4, 6, 7],
    });
    // Look-arounds consume nothing; a keyword may run across a group's edge.
    expect(keywordLeads("(?<=x)(?:t|T)oken", "", ["token"])).toEqual({ token: [0] });
    expect(keywordLeads("[a-z]{2}_secret", "", ["secret"])).toEqual({ secret: [3] });
  });

  it("keeps, for each keyword, only the ways through the pattern that spell it first", () => {
    expect(keywordLeads("(?:pass|secret_key)=", "", ["pass", "secret", "key"])).toEqual({
      pass: [0],
      secret: [0],
    });
  });

  it("folds letter case as the prefilter does, and gives up where the regex folds more", () => {
    expect(keywordLeads("token", "i", ["token"])).toEqual({ token: [0] });
    // Under `iu`, k also matches the Kelvin sign, which the prefilter does not fold to k.
    expect(keywordLeads("key", "iu", ["key"])).toBeUndefined();
  });

  it("gives nothing when some match may hold no keyword, or hold it at an unbounded distance", () => {
    expect(keywordLeads("token|other", "", ["token"])).toBeUndefined();
    expect(keywordLeads("[a-z]+token", "", ["token"])).toBeUndefined();
    expect(keywordLeads("(a)\\1token", "", ["token"])).toBeUndefined();
    expect(keywordLeads("(?i:t)oken", "", ["token"])).toBeUndefined();
    expect(keywordLeads("token", "", [])).toBeUndefined();
  });
});
