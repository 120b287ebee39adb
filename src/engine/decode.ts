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

// At least 16 characters (12 bytes): shorter runs are words and identifiers, not payloads.
const BASE64_RUN =
  /(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=_-])/g;
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
  BASE64_RUN.lastIndex = 0;
  for (let match = BASE64_RUN.exec(text); match !== null; match = BASE64_RUN.exec(text)) {
    const run = match[0];
    if (run.length > MAX_ENCODED_LENGTH || !hasMixedAlphabet(run)) continue;
    const decoded = Buffer.from(run, "base64").toString("latin1");
    if (!looksLikeText(decoded)) continue;
    spans.push({ start: match.index, end: match.index + run.length, decoded });
  }
  return spans;
}
