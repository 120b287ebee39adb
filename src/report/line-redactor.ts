/**
 * Hides every occurrence of any of a report's secrets in a source line. A line can hold several
 * keys, and the same key can stand on other lines too: a finding's line must hide them all, not
 * only the finding's own secret, or the report leaks the others in full.
 *
 * Reports can hold thousands of secrets, so the secrets are indexed by their first few
 * characters: each position of a line costs one map lookup, not one comparison per secret.
 */

export interface RedactedLine {
  readonly text: string;
  /**
   * Where the character at `offset` of the raw line went in `text`: the whole replacement when
   * it was hidden. Lets a caller cut the line around a secret it knows by raw position.
   */
  place(offset: number): { readonly start: number; readonly end: number };
}

export type LineRedactor = (line: string) => RedactedLine;

/** A hidden stretch of the raw line, and the replacement it became in the text. */
interface Hidden {
  readonly rawStart: number;
  readonly rawEnd: number;
  readonly start: number;
  readonly end: number;
}

/** Long enough to keep each key's list short, short enough for the shortest secret. */
const MAX_KEY_LENGTH = 8;

/** For --no-redact, and for reports with nothing to hide. */
export const keepLine: LineRedactor = (line) => ({ text: line, place: (offset) => point(offset) });

function point(offset: number): { start: number; end: number } {
  return { start: offset, end: offset + 1 };
}

function placeIn(hidden: readonly Hidden[], offset: number): { start: number; end: number } {
  let shift = 0;
  for (const stretch of hidden) {
    if (offset < stretch.rawStart) break;
    if (offset < stretch.rawEnd) return { start: stretch.start, end: stretch.end };
    shift = stretch.end - stretch.rawEnd;
  }
  return point(offset + shift);
}

/**
 * `hide` gives what stands in place of a secret (redactSecret at the report's percentage). Lines
 * are remembered: findings on one line share it, and it is redacted once.
 */
export function buildLineRedactor(
  secrets: Iterable<string>,
  hide: (secret: string) => string,
): LineRedactor {
  // Longest first, so a secret that holds a shorter one is hidden whole.
  const distinct = [...new Set(secrets)]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length);
  if (distinct.length === 0) return keepLine;
  const keyLength = Math.min(MAX_KEY_LENGTH, distinct[distinct.length - 1]!.length);
  const byKey = new Map<string, string[]>();
  // Most positions start no secret: a table lookup skips them without cutting a key.
  const startsSecret = new Uint8Array(65536);
  for (const secret of distinct) {
    startsSecret[secret.charCodeAt(0)] = 1;
    const key = secret.slice(0, keyLength);
    const list = byKey.get(key);
    if (list) list.push(secret);
    else byKey.set(key, [secret]);
  }
  const longestAt = (line: string, at: number): string | undefined =>
    startsSecret[line.charCodeAt(at)] === 1
      ? byKey.get(line.slice(at, at + keyLength))?.find((secret) => line.startsWith(secret, at))
      : undefined;

  /** A secret that starts inside a hidden one and runs past it is hidden with it: no tail shows. */
  const overlapEnd = (line: string, from: number, end: number): number => {
    for (let at = from + 1; at < end && at + keyLength <= line.length; at++) {
      const inner = longestAt(line, at);
      if (inner) end = Math.max(end, at + inner.length);
    }
    return end;
  };

  const redact = (line: string): RedactedLine => {
    const hidden: Hidden[] = [];
    let text = "";
    let copied = 0;
    for (let at = 0; at + keyLength <= line.length; ) {
      const secret = longestAt(line, at);
      if (!secret) {
        at++;
        continue;
      }
      const rawEnd = overlapEnd(line, at, at + secret.length);
      text += line.slice(copied, at);
      const start = text.length;
      text += hide(secret);
      hidden.push({ rawStart: at, rawEnd, start, end: text.length });
      copied = at = rawEnd;
    }
    if (hidden.length === 0) return keepLine(line);
    text += line.slice(copied);
    return { text, place: (offset) => placeIn(hidden, offset) };
  };

  const seen = new Map<string, RedactedLine>();
  return (line) => {
    let redacted = seen.get(line);
    if (!redacted) {
      redacted = redact(line);
      seen.set(line, redacted);
    }
    return redacted;
  };
}
