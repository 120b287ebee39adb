import { describe, expect, it } from "vitest";
import { ambiguousRepeat } from "../../src/config/ambiguous-repeat.js";

describe("ambiguousRepeat", () => {
  it.each([
    ["(?<secret>(a+)+)$", "(a+)+"],
    ["x(\\w+\\s?)*$", "(\\w+\\s?)*"],
    ["(?:x*)*y", "(?:x*)*"],
    ["((a+)b?)+c", "((a+)b?)+"],
    ["(?:(?=x)\\w+)+!", "(?:(?=x)\\w+)+"],
    ["(?:[0-9]{1,3})+;", "(?:[0-9]{1,3})+"],
    ["key=(?:ab|(?:[a-z]+))+$", "(?:ab|(?:[a-z]+))+"],
  ])("finds the repeat of a repeat in %s", (pattern, repeat) => {
    expect(ambiguousRepeat(pattern, "")).toBe(repeat);
  });

  it.each([
    // Each iteration ends at a character the inner repeat cannot take: one way to split.
    "([a-z0-9]+\\.)+[a-z]+",
    "(a+b+)+",
    // A fixed count, or a range too narrow to hold two of its own iterations.
    "(a{2})+",
    "(?:[0-9]{2,3})+",
    "(a?)+",
    "(?:\\b)+x",
    "acme_(?<secret>[A-Za-z0-9]{32})",
    "(?:a+)",
    "not a regex (",
  ])("lets %s through", (pattern) => {
    expect(ambiguousRepeat(pattern, "")).toBeUndefined();
  });
});
