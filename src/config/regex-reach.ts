import { type AST, RegExpParser } from "@eslint-community/regexpp";

/**
 * How far around a keyword a rule's regex can look. A rule whose keyword is part of every match
 * (the usual case) then runs only on windows of this size around its keyword hits, instead of
 * over the whole text.
 */
export interface RegexReach {
  /**
   * The most UTF-16 units one match spans, counting what its look-arounds read beyond it;
   * Infinity when the pattern is unbounded (`+`, `*`, `{n,}`).
   */
  readonly chars: number;
  /** The most line breaks in that span; Infinity when an unbounded part can cross lines. */
  readonly lines: number;
}

/**
 * The reach of a rule's pattern, or undefined (run on the whole text) when it bounds neither
 * characters nor lines, or for a pattern this parser does not read the way the engine does.
 */
export function ruleReach(raw: {
  pattern: string;
  flags?: string | undefined;
}): RegexReach | undefined {
  let reach: RegexReach;
  try {
    reach = regexReach(raw.pattern, raw.flags ?? "");
  } catch {
    return undefined;
  }
  const unbounded = Number.POSITIVE_INFINITY;
  return reach.chars === unbounded && reach.lines === unbounded ? undefined : reach;
}

export function regexReach(pattern: string, flags: string): RegexReach {
  const unicode = flags.includes("u") || flags.includes("v");
  const ast = parsePattern(pattern, flags);
  // Without the u or v flag every character is one UTF-16 unit; with them, up to two.
  const chars = extent(ast, () => (unicode ? 2 : 1));
  const lines = extent(ast, (node) => (matchesLineFeed(node, flags.includes("s")) ? 1 : 0));
  // One extra character each side for `\b`, `^` and `$`, which read their neighbour.
  return { chars: chars + 2, lines };
}

/** A rule's pattern as the regex engine reads it with these flags. */
export function parsePattern(pattern: string, flags: string): AST.Pattern {
  return new RegExpParser({ ecmaVersion: 2025 }).parsePattern(pattern, 0, pattern.length, {
    unicode: flags.includes("u"),
    unicodeSets: flags.includes("v"),
  });
}

type CharacterNode =
  | AST.Character
  | AST.CharacterClass
  | AST.CharacterSet
  | AST.ExpressionCharacterClass;

/** The most a node can add up to, each character counting `weight` of it. */
function extent(node: AST.Node, weight: (node: CharacterNode) => number): number {
  switch (node.type) {
    case "Pattern":
    case "Group":
    case "CapturingGroup":
    case "Assertion":
      // Look-arounds count in full: they read text beside the match. \b, ^ and $ count 0 here.
      if ("alternatives" in node) {
        return Math.max(0, ...node.alternatives.map((alternative) => extent(alternative, weight)));
      }
      return 0;
    case "Alternative":
      return node.elements.reduce((sum, element) => sum + extent(element, weight), 0);
    case "Quantifier": {
      const inner = extent(node.element, weight);
      if (inner === 0) return 0;
      return node.max === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : node.max * inner;
    }
    case "Backreference": {
      // Matches what its group matched, so at most what the group can span.
      const groups = Array.isArray(node.resolved) ? node.resolved : [node.resolved];
      return Math.max(...groups.map((group) => extent(group, weight)));
    }
    case "Character":
    case "CharacterClass":
    case "CharacterSet":
    case "ExpressionCharacterClass":
      return weight(node);
    default:
      return Number.POSITIVE_INFINITY;
  }
}

const LINE_FEED = 10;

function matchesLineFeed(node: AST.Node, dotAll: boolean): boolean {
  switch (node.type) {
    case "Character":
      return node.value === LINE_FEED;
    case "CharacterClassRange":
      return node.min.value <= LINE_FEED && LINE_FEED <= node.max.value;
    case "CharacterSet":
      if (node.kind === "any") return dotAll;
      if (node.kind === "space") return !node.negate;
      if (node.kind === "digit" || node.kind === "word") return node.negate;
      return true; // \p{…}: assume it may
    case "CharacterClass": {
      const inClass = node.elements.some((element) => matchesLineFeed(element, dotAll));
      return node.negate ? !inClass : inClass;
    }
    default:
      return true; // set operations and string disjunctions: assume they may
  }
}
