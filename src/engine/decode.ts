/**
 * Finds encoded text worth scanning again: base64 (Kubernetes Secret `data:` values, encoded
 * .env files, basic-auth strings) and escapes in plain text (percent-encoding in URLs, `\|` in
 * Markdown tables). Binary payloads (inline images, fonts) decode to bytes that are not text
 * and are dropped.
 */

import type { Encoding } from "../types.js";
import { BASE64_ALPHABET, charTable } from "./char-table.js";
import { isElided } from "./placeholder.js";
import { wrappedBlock } from "./wrapped-base64.js";

export interface EncodedSpan {
  readonly start: number;
  readonly end: number;
  readonly decoded: string;
  readonly encoding: Encoding;
}

/** Runs shorter than this (12 bytes) are words and identifiers, not payloads. */
const MIN_ENCODED_LENGTH = 16;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** 1 for characters of the base64 and base64url alphabets (padding included), by char code. */
const TOKEN_CHAR = charTable(`${BASE64_ALPHABET}=_-`);
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
  // Real base64 of text mixes cases; words, hex digests and upper-case names do not. Digits are
  // not required: base64 of upper-case text (an AWS key id) often holds none, and a long
  // camel-case identifier that slips through decodes to bytes looksLikeText drops.
  return /[a-z]/.test(run) && /[A-Z]/.test(run);
}

/**
 * The encoded runs in text[from, to), at offsets of the whole text, ascending by start. The
 * range must not cut a run: history scans pass whole lines, which no run crosses, widened to
 * the wrapped blocks they touch (widenToWrappedBlocks).
 */
export function findEncodedText(text: string, from = 0, to = text.length): EncodedSpan[] {
  const base64 = findBase64Text(text, from, to);
  const escaped = ESCAPES.flatMap((scheme) => findEscapedText(text, from, to, scheme));
  if (escaped.length === 0) return base64;
  return [...base64, ...escaped].sort((a, b) => a.start - b.start);
}

/**
 * A way of writing characters with escapes inside otherwise plain text, where each decoded
 * character stands at a known place in the raw text (unlike base64).
 */
interface EscapeScheme {
  readonly encoding: Encoding;
  /** What every escape starts with, to jump from one to the next. */
  readonly mark: string;
  /** The raw length of the escape at text[at], 0 when none starts there. */
  width(text: string, at: number): number;
  decode(run: string): string;
}

const HEX_DIGIT = /^[0-9A-Fa-f]$/;
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;

/** `\|`, `\/` and `\uXXXX`, as backslashEscapeWidth reads them. */
const BACKSLASH_ESCAPE = /\\[|/]|\\u([0-9A-Fa-f]{4})/g;

function backslashEscapeWidth(text: string, at: number): number {
  if (text[at] !== "\\") return 0;
  const next = text[at + 1];
  if (next === "|" || next === "/") return 2;
  if (next !== "u") return 0;
  for (let i = at + 2; i < at + 6; i++) if (!HEX_DIGIT.test(text[i] ?? "")) return 0;
  return 6;
}

const ESCAPES: readonly EscapeScheme[] = [
  {
    // Keys in URLs and form bodies: each `%XX` as the one byte it names, read as Latin-1 (keys
    // are ASCII). A Meta Llama key's `|` is written `%7C` in a query string.
    encoding: "percent",
    mark: "%",
    width: (text, at) =>
      text[at] === "%" && HEX_DIGIT.test(text[at + 1] ?? "") && HEX_DIGIT.test(text[at + 2] ?? "")
        ? 3
        : 0,
    decode: (run) =>
      run.replace(PERCENT_ESCAPE, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      ),
  },
  {
    // A `|` written `\|`: inside a Markdown table cell, or unquoted in a shell command. And the
    // escapes of JSON (and JavaScript, Java) strings that keys' characters get: `\/` (PHP's
    // json_encode writes every `/` of a Bedrock key so) and `\uXXXX` (`sk\u002dproj\u002d…`
    // from serialisers that escape more than they must). Other escapes (`\n`) are left as they
    // are, one raw character each, so a key read after one keeps its place.
    encoding: "backslash",
    mark: "\\",
    width: backslashEscapeWidth,
    decode: (run) =>
      run.replace(BACKSLASH_ESCAPE, (whole, hex?: string) =>
        hex === undefined ? whole.slice(1) : String.fromCharCode(Number.parseInt(hex, 16)),
      ),
  },
];

/**
 * Where the `decoded`th character of a decoded run starts in the raw text, for the escapes
 * above (a base64 run has no such places: its hits take the whole run).
 */
export function rawOffsetIn(text: string, span: EncodedSpan, decoded: number): number {
  const scheme = ESCAPES.find((each) => each.encoding === span.encoding);
  if (!scheme) return 0;
  let raw = 0;
  for (let i = 0; i < decoded; i++) raw += scheme.width(text, span.start + raw) || 1;
  return raw;
}

/**
 * 1 for the characters an escaped run is made of: those of a URL and a backslash, less the
 * quotes and brackets that stand around one in code.
 */
const RUN_CHAR = charTable(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&*+,;=:@/?#%|\\",
);
const isRunChar = (code: number) => RUN_CHAR[code] === 1;
/** Shorter runs hold no key; longer ones are payloads, not values. */
const MIN_ESCAPED_RUN = 12;
const MAX_ESCAPED_RUN = 4096;

/**
 * Runs holding the scheme's escapes, decoded. Escapes are rare in text, so the search jumps
 * from one mark to the next, and each run is read once.
 */
function findEscapedText(
  text: string,
  from: number,
  to: number,
  scheme: EscapeScheme,
): EncodedSpan[] {
  const spans: EncodedSpan[] = [];
  let at = text.indexOf(scheme.mark, from);
  while (at !== -1 && at < to) {
    let start = at;
    while (start > from && isRunChar(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < to && isRunChar(text.charCodeAt(end))) end++;
    const length = end - start;
    if (length >= MIN_ESCAPED_RUN && length <= MAX_ESCAPED_RUN) {
      const run = text.slice(start, end);
      const decoded = scheme.decode(run);
      if (decoded !== run && looksLikeText(decoded)) {
        spans.push({ start, end, decoded, encoding: scheme.encoding });
      }
    }
    at = text.indexOf(scheme.mark, end);
  }
  return spans;
}

/** The base64 runs in text[from, to). */
function findBase64Text(text: string, from: number, to: number): EncodedSpan[] {
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
    // Most runs are words: too short for a payload or for a wrapped block's first line.
    if (end - start < MIN_ENCODED_LENGTH) continue;
    const value = valueStart(text, start, end);
    // A run cut short by `...` is an elided example, and decodes to a value cut short too.
    if (isElided(text, value, end)) continue;
    const block = wrappedBlock(text, value, end, to);
    if (block) {
      const wrapped = base64Span(value, block.end, block.joined);
      // Not base64 of text as a whole (an attachment, a genome's letters): each line is read
      // alone, as any run, and the block is passed, not joined again from each of its lines.
      const spansOfBlock = wrapped
        ? [wrapped]
        : block.runs.flatMap(
            (run) => base64Span(run.start, run.end, text.slice(run.start, run.end)) ?? [],
          );
      spans.push(...spansOfBlock);
      from = block.end + 1;
      continue;
    }
    const span = base64Span(value, end, text.slice(value, end));
    if (span) spans.push(span);
  }
  return spans;
}

/**
 * Where the value of a run starts: after the last `=`, `_` or `-` before its padding. The run
 * is taken over the characters of base64url and padding too, so `NAME=<base64>` (a .env line,
 * a URL's `?payload=`) reaches back over its name; standard base64 holds none of them.
 */
function valueStart(text: string, start: number, end: number): number {
  let last = end;
  while (last > start && text.charCodeAt(last - 1) === EQUALS) last--;
  for (let at = last - 1; at >= start; at--) {
    const code = text.charCodeAt(at);
    if (code === EQUALS || code === UNDERSCORE || code === DASH) return at + 1;
  }
  return start;
}

const EQUALS = 0x3d;
const UNDERSCORE = 0x5f;
const DASH = 0x2d;

/** The run at text[start, end) (its lines joined) as a decoded span, when it is base64 of text. */
function base64Span(start: number, end: number, run: string): EncodedSpan | undefined {
  const runLength = run.length;
  if (runLength < MIN_ENCODED_LENGTH || runLength > MAX_ENCODED_LENGTH || runLength % 4 !== 0)
    return undefined;
  if (!STANDARD_BASE64.test(run) || !hasMixedAlphabet(run)) return undefined;
  const decoded = Buffer.from(run, "base64").toString("latin1");
  if (!looksLikeText(decoded)) return undefined;
  return { start, end, decoded, encoding: "base64" };
}
