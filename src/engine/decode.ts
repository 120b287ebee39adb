/**
 * Finds base64-encoded text worth scanning again: Kubernetes Secret `data:` values, encoded
 * .env files, basic-auth strings. Binary payloads (inline images, fonts) decode to bytes that are
 * not text and are dropped.
 */

export interface EncodedSpan {
  readonly start: number;
  readonly end: number;
  readonly decoded: string;
}

/** Runs shorter than this (12 bytes) are words and identifiers, not payloads. */
const MIN_ENCODED_LENGTH = 16;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** 1 for characters of the base64 and base64url alphabets (padding included), by char code. */
const TOKEN_CHAR = new Uint8Array(65536);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-") {
  TOKEN_CHAR[char.charCodeAt(0)] = 1;
}
/** Decoded payloads larger than this are documents, not secrets; skipping them bounds the work. */
const MAX_ENCODED_LENGTH = 16 * 1024;

function looksLikeText(decoded: string): boolean {
  let printable = 0;
  for (let i = 0; i < decoded.length; i++) {
    const code = decoded.charCodeAt(i);
    if ((code >= 32 && code < 127) || code === 9 || code === 10 || code === 13) printable++;
  }
  return printable / decoded.length >= 0.95;
}

function hasMixedAlphabet(run: string): boolean {
  // Real base64 of text mixes cases and digits; long identifiers and words do not.
  return /[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9+/]/.test(run);
}

/**
 * The encoded runs in text[from, to), at offsets of the whole text. The range must not cut a
 * run: history scans pass whole lines, which no run crosses.
 */
export function findEncodedText(text: string, from = 0, to = text.length): EncodedSpan[] {
  const spans: EncodedSpan[] = [];
  // Skip-ahead scan: if the character MIN_ENCODED_LENGTH - 1 ahead is not in the alphabet, no
  // long-enough run can cover the stretch before it, so the whole stretch is skipped. Ordinary
  // text and code (short words) is crossed in strides; only long runs are walked in full.
  while (from + MIN_ENCODED_LENGTH <= to) {
    const probe = from + MIN_ENCODED_LENGTH - 1;
    if (TOKEN_CHAR[text.charCodeAt(probe)] !== 1) {
      from = probe + 1;
      continue;
    }
    // `from` follows a character outside the alphabet (or starts the range), so the run starts at
    // or after it.
    let start = probe;
    while (start > from && TOKEN_CHAR[text.charCodeAt(start - 1)] === 1) start--;
    let end = probe + 1;
    while (end < to && TOKEN_CHAR[text.charCodeAt(end)] === 1) end++;
    from = end + 1;
    const runLength = end - start;
    if (runLength < MIN_ENCODED_LENGTH || runLength > MAX_ENCODED_LENGTH || runLength % 4 !== 0)
      continue;
    const run = text.slice(start, end);
    if (!STANDARD_BASE64.test(run) || !hasMixedAlphabet(run)) continue;
    const decoded = Buffer.from(run, "base64").toString("latin1");
    if (!looksLikeText(decoded)) continue;
    spans.push({ start, end, decoded });
  }
  return spans;
}
