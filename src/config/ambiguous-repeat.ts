import type { AST } from "@eslint-community/regexpp";
import { parsePattern } from "./regex-reach.js";

/**
 * Where a pattern repeats a repeat: `(a+)+`, `(\w+\s?)*`, `(?:x*)+`. Such a group can split one
 * run of text into its iterations in exponentially many ways, and JavaScript's backtracking
 * engine tries every way before it gives up on a line that does not match in the end (a 40-
 * character run takes minutes), so a scan, or the pre-commit hook, hangs. gitleaks' RE2 has no
 * such cost, so a gitleaks config can hold these patterns. Returns the source text of the outer
 * repeat, or undefined.
 *
 * Only this sure sign is looked for: an unbounded repeat of a group one of whose alternatives
 * is, but for parts that may match nothing, a single unbounded repeat. One iteration matching
 * two of the inner element can then always be two iterations of one, whatever the characters.
 */
export function ambiguousRepeat(pattern: string, flags: string): string | undefined {
  let ast: AST.Pattern;
  try {
    ast = parsePattern(pattern, flags);
  } catch {
    return undefined;
  }
  return findIn(ast);
}

function findIn(node: AST.Node): string | undefined {
  if (node.type === "Quantifier") {
    if (node.max === Number.POSITIVE_INFINITY && repeatsInside(node.element)) return node.raw;
    return findIn(node.element);
  }
  if ("alternatives" in node) {
    for (const alternative of node.alternatives) {
      const found = findIn(alternative);
      if (found) return found;
    }
  }
  if (node.type === "Alternative") {
    for (const element of node.elements) {
      const found = findIn(element);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Whether one match of a node can also be two matches of it, as with `x+` ("xx" is one match
 * or two); `x{2}` and `x{2,3}` cannot, as no count they take is the sum of two they take.
 */
function repeatsInside(node: AST.Node): boolean {
  if (node.type === "Quantifier")
    return node.max >= 2 * Math.max(node.min, 1) && !isNullableOnly(node.element);
  if (node.type !== "Group" && node.type !== "CapturingGroup") return false;
  return node.alternatives.some((alternative) => {
    const needed = alternative.elements.filter((element) => !canMatchEmpty(element));
    if (needed.length === 0) return alternative.elements.some(repeatsInside);
    return needed.length === 1 && repeatsInside(needed[0]!);
  });
}

/** An element that matches only the empty string (a look-around, `\b`): no repeat of it grows. */
function isNullableOnly(node: AST.Node): boolean {
  return node.type === "Assertion";
}

function canMatchEmpty(node: AST.Node): boolean {
  switch (node.type) {
    case "Assertion":
      return true;
    case "Quantifier":
      return node.min === 0 || canMatchEmpty(node.element);
    case "Group":
    case "CapturingGroup":
      return node.alternatives.some((alternative) => alternative.elements.every(canMatchEmpty));
    default:
      // Characters, classes; a backreference counts as text, so its group is never flagged.
      return false;
  }
}
