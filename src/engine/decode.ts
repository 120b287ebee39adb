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

export function findEncodedText(text: string): EncodedSpan[] {
  const spans: EncodedSpan[] = [];
  // A plain loop over maximal runs is linear; a regex such as /[A-Za-z0-9+/=_-]{16,}/g retries
  // every short word at each of its positions and measured ten times slower on source code.
  const length = text.length;
  let start = -1;
  for (let i = 0; i <= length; i++) {
    if (i < length && TOKEN_CHAR[text.charCodeAt(i)] === 1) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    const runLength = i - start;
    const runStart = start;
    start = -1;
    if (runLength < MIN_ENCODED_LENGTH || runLength > MAX_ENCODED_LENGTH || runLength % 4 !== 0)
      continue;
    const run = text.slice(runStart, i);
    if (!STANDARD_BASE64.test(run) || !hasMixedAlphabet(run)) continue;
    const decoded = Buffer.from(run, "base64").toString("latin1");
    if (!looksLikeText(decoded)) continue;
    spans.push({ start: runStart, end: i, decoded });
  }
  return spans;
}
