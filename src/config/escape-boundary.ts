import { RegExpParser } from "@eslint-community/regexpp";

/**
 * The escapes, and a shell default's operator, as a look-behind reads them; bounded, so a rule's
 * reach stays bounded.
 */
const ESCAPES = [
  "\\\\[nrt]",
  "%[0-9A-Fa-f]{2}",
  "\\\\u00[0-9A-Fa-f]{2}",
  "\\\\x[0-9A-Fa-f]{2}",
  "(?:\\x1b|\\\\u001b|\\\\x1b|\\\\e|\\\\033)\\[[0-9;]{0,12}m",
  // ${API_TOKEN:-<key>}, ${API_TOKEN-<key>}, ${API_TOKEN:=<key>}, ${API_TOKEN:+<key>}: a value
  // the shell (or docker-compose) uses by the variable's state, as written in scripts and
  // compose files.
  "\\$\\{[A-Za-z_][A-Za-z0-9_]{0,63}:?[-=+]",
].join("|");

/**
 * Most rules open with a look-behind that keeps a key from being the tail of a longer word:
 * `(?<![A-Za-z0-9_-])ghp_…`. But a key often follows an escape that ends in a letter or digit:
 * `"a\nghp_…"` in a JSON or code string, `Bearer%20ghp_…` in a URL or an access log, `\u0022`
 * in .NET's JSON, a terminal colour code in a log. That look-behind takes the escape's last
 * character for part of a word, as it takes the `-` of a shell default (`${TOKEN:-ghp_…}`) for
 * a word's hyphen (or its `+` for base64). A pattern opening with such a look-behind may also start its match right
 * after one of these; the pattern is returned rewritten so, or unchanged.
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
  // Only a look-behind that refuses the last characters of these needs the way round.
  const after = new RegExp(`${opening}$`, flags.replace(/[gyd]/g, ""));
  if (["n", "2", "m", "-", "+", "="].every((last) => after.test(last))) return pattern;
  return `(?:${opening}|(?<=${ESCAPES}))${pattern.slice(opening.length)}`;
}
