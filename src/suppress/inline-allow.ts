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

export interface InlineAllowResult {
  readonly kept: Finding[];
  readonly allowed: Finding[];
}

/** Splits findings into those to report and those a `keywarden:allow` comment suppresses. */
export function applyInlineAllow(findings: readonly Finding[]): InlineAllowResult {
  const kept: Finding[] = [];
  const allowed: Finding[] = [];
  for (const finding of findings) {
    (hasInlineAllow(finding.lineText) ? allowed : kept).push(finding);
  }
  return { kept, allowed };
}
