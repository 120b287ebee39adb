import type { Finding } from "../types.js";

/**
 * Comments that mark a finding as a false positive or an accepted example, keywarden's own and
 * those of the scanners teams come from, so that a repository annotated for them needs no
 * second round of annotation:
 *
 * - `keywarden:allow`, gitleaks' `gitleaks:allow` and ggshield's `ggignore` anywhere on the
 *   line, in any comment syntax (`# …`, `// …`, `<!-- … -->`, `-- …`…), as those tools look
 *   for them: only the marker itself is looked for;
 * - detect-secrets' `pragma: allowlist secret` (or its older `pragma: whitelist secret`) in a
 *   comment on the line, opened as detect-secrets opens it (`#`, `//`, `/*`, `'`, `--`, `<!--`).
 *
 * A marker is a word of its own: not after a letter, digit or `_`, nor followed by one or a `-`
 * (`keywarden:allowed`, `aggignore` and `ggignore-start` are no markers). Letter case is free.
 */
const SAME_LINE_MARKERS =
  /(?<![A-Za-z0-9_])(?:keywarden:allow|gitleaks:allow|ggignore|(?<=(?:#|\/\/|\/\*|'|--|<!--)[ \t#]*)pragma: ?(?:allow|white)list[ -]secret)(?![A-Za-z0-9_-])/gi;

/**
 * detect-secrets' `pragma: allowlist nextline secret`: a comment standing alone on the line
 * above a finding (whitespace before it, nothing but the comment after it) allows that finding.
 */
const NEXT_LINE_MARKER =
  /^[ \t]*(?:#|\/\/|\/\*|'|--|<!--)[ \t#]*pragma: ?allowlist[ -]nextline[ -]secret(?![A-Za-z0-9_-])/i;

/** Whether a line holds a marker that allows findings on it. */
export function hasInlineAllow(lineText: string): boolean {
  return markerOutside(lineText, 0, 0);
}

/**
 * Whether text[from, to) holds a marker that does not overlap [secretFrom, secretTo): a marker
 * inside the secret (a password that happens to read `x/keywarden:allow`) is no comment about it.
 */
function markerOutside(
  text: string,
  secretFrom: number,
  secretTo: number,
  from = 0,
  to = text.length,
): boolean {
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  SAME_LINE_MARKERS.lastIndex = 0;
  for (let found = SAME_LINE_MARKERS.exec(slice); found; found = SAME_LINE_MARKERS.exec(slice)) {
    const start = from + found.index;
    const end = start + found[0].length;
    if (end <= secretFrom || start >= secretTo) return true;
  }
  return false;
}

/** Longer lines are minified code, where one line holds a whole program. */
const LONG_LINE = 1024;
/** How far from its finding a marker on such a line may stand. */
const NEAR = 256;

/**
 * Whether a marker on `line` allows a finding whose secret covers [secretFrom, secretTo) of it:
 * anywhere on it outside the secret, or, on a long line, within NEAR characters of the secret.
 * A marker in a string a megabyte away in a bundle is about other code.
 */
function isAllowedOn(line: string, secretFrom: number, secretTo: number): boolean {
  if (line.length <= LONG_LINE) return markerOutside(line, secretFrom, secretTo);
  const from = Math.max(0, secretFrom - NEAR);
  const to = Math.min(line.length, secretTo + NEAR);
  return markerOutside(line, secretFrom, secretTo, from, to);
}

/**
 * Whether a comment allows this finding: a marker on its first line, or, for a finding over
 * several lines (a private key's block), on its last line (after the END armor line, where a
 * marker can stand without breaking the key); or detect-secrets' nextline pragma alone on the
 * line above its first line, when the scanned text held that line (a diff shows it as context).
 * Lines in between are the secret's own.
 */
function isAllowedInline(finding: Finding): boolean {
  const shown = (finding.lineTextColumn ?? 1) - 1;
  const from = finding.column - 1 - shown;
  const oneLine = finding.endLine === finding.line;
  const to = oneLine ? finding.endColumn - 1 - shown : finding.lineText.length;
  if (isAllowedOn(finding.lineText, from, to)) return true;
  if (!oneLine && finding.endLineText !== undefined) {
    if (isAllowedOn(finding.endLineText, 0, finding.endColumn - 1)) return true;
  }
  return finding.lineAbove !== undefined && NEXT_LINE_MARKER.test(finding.lineAbove);
}

export interface InlineAllowResult {
  readonly kept: Finding[];
  readonly allowed: Finding[];
}

/** Splits findings into those to report and those an inline allow comment suppresses. */
export function applyInlineAllow(findings: readonly Finding[]): InlineAllowResult {
  const kept: Finding[] = [];
  const allowed: Finding[] = [];
  for (const finding of findings) {
    (isAllowedInline(finding) ? allowed : kept).push(finding);
  }
  return { kept, allowed };
}
