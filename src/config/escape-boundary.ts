import { RegExpParser } from "@eslint-community/regexpp";

/**
 * Most rules open with a look-behind that keeps a key from being the tail of a longer word:
 * `(?<![A-Za-z0-9_-])ghp_…`. Inside a JSON, JavaScript or Python string a key often follows an
 * escape, `"a\nghp_…"`, and that look-behind takes the escape's letter for part of a word. A
 * pattern opening with such a look-behind may also start its match right after `\n`, `\r` or
 * `\t`; the pattern is returned rewritten so, or unchanged.
 */
export function allowAfterEscape(pattern: string, flags: string): string {
  let opening: string | undefined;
  try {
    const unicode = flags.includes("u") || flags.includes("v");
    const ast = new RegExpParser().parsePattern(pattern, 0, pattern.length, { unicode });
    const first = ast.alternatives.length === 1 ? ast.alternatives[0]!.elements[0] : undefined;
    if (first?.type === "Assertion" && first.kind === "lookbehind" && first.negate) {
      opening = first.raw;
    }
  } catch {
    return pattern;
  }
  if (opening === undefined) return pattern;
  // Only a look-behind that refuses the escape letters themselves needs the way round.
  const afterLetter = new RegExp(`${opening}$`, flags.replace(/[gyd]/g, ""));
  if (["n", "r", "t"].some((letter) => afterLetter.test(letter))) return pattern;
  return `(?:${opening}|(?<=\\\\[nrt]))${pattern.slice(opening.length)}`;
}
