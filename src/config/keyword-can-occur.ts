import type { AST } from "@eslint-community/regexpp";
import { parsePattern } from "./regex-reach.js";

/**
 * Whether a match of the pattern (or the text its look-arounds read) can hold the keyword, as
 * the prefilter finds keywords (ASCII case folded). A necessary test only: false when some
 * character of the keyword is matched by no character, class or set anywhere in the pattern, so
 * no match can spell it; true otherwise. gitleaks runs a rule on a whole file when a keyword
 * occurs anywhere in it, keywarden only around the keyword: a rule whose keyword lies outside
 * its matches finds nothing in keywarden that gitleaks finds.
 */
export function keywordCanOccur(pattern: string, flags: string, keyword: string): boolean {
  const testFlags = flags.replace(/[^imsuv]/g, "");
  const atoms: RegExp[] = [];
  const visit = (node: AST.Node): void => {
    switch (node.type) {
      case "Pattern":
      case "Group":
      case "CapturingGroup":
        for (const alternative of node.alternatives) visit(alternative);
        return;
      case "Assertion":
        if ("alternatives" in node) for (const alternative of node.alternatives) visit(alternative);
        return;
      case "Alternative":
        for (const element of node.elements) visit(element);
        return;
      case "Quantifier":
        visit(node.element);
        return;
      case "Character":
      case "CharacterClass":
      case "CharacterSet":
      case "ExpressionCharacterClass":
        // Each is tested as the engine reads it, flags included (a class under `i`, `\w`, `.`).
        atoms.push(new RegExp(`^(?:${node.raw})$`, testFlags));
        return;
      default:
        // A back-reference repeats what a group matched: its characters are that group's.
        return;
    }
  };
  visit(parsePattern(pattern, flags));
  return [...keyword].every((char) =>
    atoms.some((atom) => atom.test(char) || atom.test(char.toUpperCase())),
  );
}
