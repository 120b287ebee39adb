import type { Finding } from "../types.js";

/**
 * A `keywarden:allow` comment on the line of a finding marks it as a false positive or an
 * accepted example. Any comment syntax works (`# keywarden:allow`, `// keywarden:allow`,
 * `<!-- keywarden:allow -->`, `-- keywarden:allow`...): only the marker itself is looked for,
 * not followed by a letter, digit, `_` or `-` (so `keywarden:allowed` is not a marker).
 */
const MARKER = /keywarden:allow(?![A-Za-z0-9_-])/i;

export function hasInlineAllow(lineText: string): boolean {
  return MARKER.test(lineText);
}

/** Longer lines are minified code, where one line holds a whole program. */
const LONG_LINE = 1024;
/** How far from its finding a marker on such a line may stand. */
const NEAR = 256;

/**
 * Whether a marker allows this finding: anywhere on its line, or, on a long line, within NEAR
 * characters of it. A marker in a string a megabyte away in a bundle is about other code.
 */
function isAllowedInline(finding: Finding): boolean {
  const line = finding.lineText;
  if (line.length <= LONG_LINE) return hasInlineAllow(line);
  const shown = (finding.lineTextColumn ?? 1) - 1;
  const from = Math.max(0, finding.column - 1 - shown - NEAR);
  const to = finding.endLine === finding.line ? finding.endColumn - 1 - shown + NEAR : line.length;
  return hasInlineAllow(line.slice(from, to));
}

export interface InlineAllowResult {
  readonly kept: Finding[];
  readonly allowed: Finding[];
}

/** Splits findings into those to report and those a `keywarden:allow` comment suppresses. */
export function applyInlineAllow(findings: readonly Finding[]): InlineAllowResult {
  const kept: Finding[] = [];
  const allowed: Finding[] = [];
  for (const finding of findings) {
    (isAllowedInline(finding) ? allowed : kept).push(finding);
  }
  return { kept, allowed };
}
