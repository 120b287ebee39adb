import { describe, expect, it } from "vitest";
import type { CompiledRule } from "../../src/config/compile-rules.js";
import { loadBuiltinRules } from "../../src/config/load-rules.js";
import { regexReach } from "../../src/config/regex-reach.js";
import { createDetector } from "../../src/engine/detector.js";
import { buildLineIndex } from "../../src/engine/line-index.js";
import { keywordWindows } from "../../src/engine/windows.js";
import type { Finding } from "../../src/types.js";
import { allExamples, seededParts, seededRandom } from "../helpers/seeded-documents.js";

describe("regexReach", () => {
  it("adds up what a match and its look-arounds can span, plus a neighbour each side", () => {
    expect(regexReach("ab[0-9]{4}", "")).toEqual({ chars: 6 + 2, lines: 0 });
    expect(regexReach("(?<![a-z])key(?=[ \\t]{0,3}=)x|y", "")).toEqual({ chars: 9 + 2, lines: 0 });
    expect(regexReach("(?<q>[\"']?)k\\k<q>", "")).toEqual({ chars: 3 + 2, lines: 0 });
  });

  it("is unbounded in characters for + and *, and in lines only when they can cross lines", () => {
    expect(regexReach("key[ \\t]+=[^\\n]*", "")).toEqual({
      chars: Number.POSITIVE_INFINITY,
      lines: 0,
    });
    expect(regexReach("key\\s+=", "").lines).toBe(Number.POSITIVE_INFINITY);
    expect(regexReach('key="[^"]+"', "").lines).toBe(Number.POSITIVE_INFINITY);
    expect(regexReach("key\\s{0,3}=.{0,9}", "").lines).toBe(3);
    expect(regexReach("key\\s{0,3}=.{0,9}", "s").lines).toBe(12);
    expect(regexReach("a\\S{0,5}\\W{0,2}", "").lines).toBe(2);
  });

  it("counts two units a character under the u flag", () => {
    expect(regexReach("k.{3}", "u").chars).toBe(8 + 2);
  });
});

describe("keywordWindows", () => {
  const text = ["alpha", "beta key one", "gamma", "delta key two", "epsilon"].join("\n");
  const lines = buildLineIndex(text);
  const starts = [text.indexOf("key"), text.lastIndexOf("key")];

  it("keeps a line-bound rule to the keyword's lines, one window per run of nearby hits", () => {
    const windows = keywordWindows(starts, 3, { chars: 1000, lines: 0 }, lines, text.length);
    const first = text.indexOf("beta");
    // Line 2 with the line break before it; accepted: line 2 only.
    expect(windows.slice(0, 4)).toEqual([
      first - 1,
      text.indexOf("gamma"),
      first,
      text.indexOf("gamma") - 1,
    ]);
    expect(windows).toHaveLength(8);
  });

  it("merges windows that overlap and accepts the union", () => {
    const windows = keywordWindows(starts, 3, { chars: 1000, lines: 1 }, lines, text.length);
    expect(windows).toEqual([0, text.length, 0, text.length]);
  });

  it("cuts by characters where lines are long", () => {
    const long = `${"x".repeat(500)}key${"y".repeat(500)}`;
    const windows = keywordWindows([500], 3, { chars: 50, lines: 0 }, buildLineIndex(long), 1003);
    expect(windows).toEqual([400, 603, 450, 553]);
  });
});

function describeFinding(finding: Finding): string {
  return `${finding.ruleId} ${finding.line}:${finding.column}-${finding.endLine}:${finding.endColumn} ${finding.secret}`;
}

/** The same rules, with some of what the build worked out of their patterns forgotten. */
function without(rules: readonly CompiledRule[], fields: readonly ("reach" | "leads")[]) {
  return rules.map(
    (rule): CompiledRule =>
      Object.create(
        rule,
        Object.fromEntries(fields.map((field) => [field, { value: undefined, enumerable: true }])),
      ) as CompiledRule,
  );
}

describe("matching near keywords", () => {
  it("finds exactly what matching the whole text finds, for every built-in rule", async () => {
    const rules = await loadBuiltinRules();
    expect(rules.filter((rule) => rule.reach !== undefined).length).toBeGreaterThan(250);
    expect(rules.filter((rule) => rule.leads !== undefined).length).toBeGreaterThan(200);
    // With neither reach nor leads, every rule runs on the whole text: the reference.
    const reference = createDetector(without(rules, ["reach", "leads"]));
    // Tried at keyword leads where the rule has them, else on windows.
    const anchored = createDetector(rules);
    // On windows wherever the rule has a reach.
    const windowed = createDetector(without(rules, ["leads"]));
    const random = seededRandom(20261122);
    const examples = allExamples(rules);
    let compared = 0;
    for (let round = 0; round < 40; round++) {
      const text = seededParts(random, examples, 60).join("");
      const path = round % 2 === 0 ? "src/config.ts" : "deploy/main.tf";
      const expected = reference.detect({ path, text, startLine: 1 }).map(describeFinding).sort();
      for (const detector of [anchored, windowed]) {
        const actual = detector.detect({ path, text, startLine: 1 }).map(describeFinding);
        expect(actual.sort()).toEqual(expected);
      }
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(500);
  });
});
