import type { AST } from "@eslint-community/regexpp";
import { parsePattern } from "./regex-reach.js";

/**
 * Where a rule's matches start, measured back from a keyword they contain. For a pattern such as
 * `(?:api|access)[_.-]?key=...` every match holds "key" 3 to 7 characters after its start, so
 * the regex need only be tried at those few places before each "key" the prefilter finds,
 * instead of searching the text around it.
 *
 * The analysis follows every way through the pattern from its start until the consumed text
 * spells a keyword (ASCII case folded, as the prefilter compares). A way that can end, or meet a
 * part of unbounded or unknown width, before one proves nothing, and the rule gets no leads.
 */

/** Lowercased keyword → the distances from a match's start to where that keyword starts in it. */
export type KeywordLeads = Readonly<Record<string, readonly number[]>>;

/** More start positions than this per keyword cost more than searching a window does. */
const MAX_LEADS = 32;
/** Ways through the pattern followed before giving up on it. */
const BUDGET = 50_000;

class Unprovable extends Error {}

/** A continuation: the elements still to match, innermost group first. */
interface Frame {
  readonly elements: readonly AST.Element[];
  readonly index: number;
  readonly next: Frame | null;
}

export function keywordLeads(
  pattern: string,
  flags: string,
  keywords: readonly string[],
): KeywordLeads | undefined {
  if (keywords.length === 0) return undefined;
  const unicode = flags.includes("u") || flags.includes("v");
  const ignoreCase = flags.includes("i");
  const ast = parsePattern(pattern, flags);
  const wanted = keywords.map((keyword) => keyword.toLowerCase());
  const leads = new Map<string, Set<number>>();
  let budget = BUDGET;

  /** The one character, ASCII case folded, that every string `node` matches folds to. */
  const literalOf = (node: AST.Node): string | undefined => {
    if (node.type === "Character") return foldedCharacter(node.value, ignoreCase, unicode);
    if (node.type !== "CharacterClass" || node.negate || node.elements.length === 0) {
      return undefined;
    }
    let folded: string | undefined;
    for (const element of node.elements) {
      if (element.type !== "Character") return undefined;
      const char = foldedCharacter(element.value, ignoreCase, unicode);
      if (char === undefined || (folded !== undefined && char !== folded)) return undefined;
      folded = char;
    }
    return folded;
  };

  const record = (keyword: string, starts: ReadonlySet<number>, distance: number) => {
    const set = leads.get(keyword) ?? new Set<number>();
    leads.set(keyword, set);
    for (const start of starts) set.add(start + distance);
    if (set.size > MAX_LEADS) throw new Unprovable();
  };

  /**
   * Follows the pattern from `frame`. `offsets`: how far from the match's start the next
   * character can be. `run`: the characters consumed since the last one that is not a literal,
   * which started at `runStarts`.
   */
  const walk = (
    frame: Frame | null,
    offsets: ReadonlySet<number>,
    run: string,
    runStarts: ReadonlySet<number>,
  ): void => {
    if (--budget < 0) throw new Unprovable();
    while (frame && frame.index >= frame.elements.length) frame = frame.next;
    if (!frame) throw new Unprovable(); // the match can end without a keyword
    const element = frame.elements[frame.index]!;
    const rest: Frame = { elements: frame.elements, index: frame.index + 1, next: frame.next };
    switch (element.type) {
      case "Assertion":
        // Reads without consuming: the characters around it stay one run.
        walk(rest, offsets, run, runStarts);
        return;
      case "Group":
      case "CapturingGroup":
        // (?i:...) changes what letters match.
        if (element.type === "Group" && element.modifiers) throw new Unprovable();
        for (const alternative of element.alternatives) {
          walk({ elements: alternative.elements, index: 0, next: rest }, offsets, run, runStarts);
        }
        return;
      case "Quantifier": {
        if (element.min === 1 && element.max === 1) {
          walk({ elements: [element.element], index: 0, next: rest }, offsets, run, runStarts);
          return;
        }
        const [min, max] = widthRange(element.element, unicode);
        walk(rest, shift(offsets, min * element.min, max * element.max), "", new Set());
        return;
      }
      default: {
        const char = literalOf(element);
        if (char === undefined) {
          const [min, max] = widthRange(element, unicode);
          walk(rest, shift(offsets, min, max), "", new Set());
          return;
        }
        const grown = run + char;
        const starts = run === "" ? offsets : runStarts;
        const keyword = wanted.find((candidate) => grown.endsWith(candidate));
        if (keyword !== undefined) {
          record(keyword, starts, grown.length - keyword.length);
          return;
        }
        walk(rest, shift(offsets, 1, 1), grown, starts);
      }
    }
  };

  try {
    for (const alternative of ast.alternatives) {
      walk({ elements: alternative.elements, index: 0, next: null }, new Set([0]), "", new Set());
    }
  } catch (error) {
    if (error instanceof Unprovable) return undefined;
    throw error;
  }
  return Object.fromEntries(
    [...leads].map(([keyword, set]) => [keyword, [...set].sort((a, b) => a - b)]),
  );
}

/**
 * The character the prefilter sees for code point `value`: ASCII letters folded to lower case.
 * Undefined where the regex may match a character the prefilter folds otherwise: non-ASCII
 * letters under `i`, and k and s under `iu`, which also match the Kelvin sign and the long s.
 */
function foldedCharacter(value: number, ignoreCase: boolean, unicode: boolean): string | undefined {
  if (value > 0xffff) return undefined;
  const char = String.fromCharCode(value);
  if (value >= 128) return ignoreCase ? undefined : char;
  const lower = char.toLowerCase();
  if (ignoreCase && unicode && (lower === "k" || lower === "s")) return undefined;
  return lower;
}

/** Every sum of an offset and a width from min to max. */
function shift(offsets: ReadonlySet<number>, min: number, max: number): Set<number> {
  if (!Number.isFinite(max) || max - min > MAX_LEADS) throw new Unprovable();
  const shifted = new Set<number>();
  for (const offset of offsets)
    for (let width = min; width <= max; width++) shifted.add(offset + width);
  if (shifted.size > MAX_LEADS) throw new Unprovable();
  return shifted;
}

/** The fewest and most UTF-16 units a node consumes (look-arounds consume none). */
function widthRange(node: AST.Node, unicode: boolean): [number, number] {
  switch (node.type) {
    case "Assertion":
      return [0, 0];
    case "Group":
    case "CapturingGroup":
    case "Alternative": {
      if (node.type !== "Alternative") {
        const ranges = node.alternatives.map((alternative) => widthRange(alternative, unicode));
        return [Math.min(...ranges.map(([min]) => min)), Math.max(...ranges.map(([, max]) => max))];
      }
      let min = 0;
      let max = 0;
      for (const element of node.elements) {
        const [low, high] = widthRange(element, unicode);
        min += low;
        max += high;
      }
      return [min, max];
    }
    case "Quantifier": {
      const [min, max] = widthRange(node.element, unicode);
      return [min * node.min, max === 0 ? 0 : max * node.max];
    }
    case "Character":
      return node.value > 0xffff ? [2, 2] : [1, 1];
    case "CharacterClass":
    case "CharacterSet":
      // With u or v, a class may match a character outside the BMP: two units. A v-flag class
      // may also hold strings, of any length.
      if (node.type === "CharacterClass" && node.unicodeSets) throw new Unprovable();
      return unicode ? [1, 2] : [1, 1];
    default:
      throw new Unprovable(); // a backreference: its width is the group's, at run time
  }
}
