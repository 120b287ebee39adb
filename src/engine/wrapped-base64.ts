/**
 * Base64 wrapped over several lines: `base64` writes 76 columns a line, PEM bodies and
 * `openssl base64` 64, mail 76. A key inside such text is split across lines, so each line
 * decoded alone yields only pieces of it; the lines are joined and decoded as one.
 *
 * A wrapped block is a line ending in a run of base64 (after a name: `data: <base64>`),
 * followed by lines holding nothing but a run of the same length (indentation aside), and a
 * last line holding a run no longer than that. Padding ends it.
 */

import { BASE64_ALPHABET, charTable } from "./char-table.js";

/** Lines narrower than this are not wrapped by any tool; shorter runs stand alone. */
const MIN_WRAP_WIDTH = 40;
/** A block is read this far at most: longer base64 is a document, not a secret. */
const MAX_BLOCK_LENGTH = 16 * 1024;

const BASE64_CHAR = charTable(`${BASE64_ALPHABET}=`);
const isBase64Char = (code: number) => BASE64_CHAR[code] === 1;
const EQUALS = 0x3d;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

/** The run of base64 a line holds alone, indentation and a `\r` aside; undefined for none. */
function pureRun(
  text: string,
  lineStart: number,
  to: number,
): { start: number; end: number } | undefined {
  let start = lineStart;
  while (start < to && (text[start] === " " || text[start] === "\t")) start++;
  let end = start;
  while (end < to && isBase64Char(text.charCodeAt(end))) end++;
  if (end === start) return undefined;
  const after = text.charCodeAt(end);
  if (
    end < to &&
    after !== NEWLINE &&
    !(after === RETURN && text.charCodeAt(end + 1) === NEWLINE)
  ) {
    return undefined;
  }
  return { start, end };
}

/** Where the line after the one ending at `end` (a `\n` or `\r\n`) starts; -1 at no line end. */
function nextLineStart(text: string, end: number): number {
  if (text.charCodeAt(end) === NEWLINE) return end + 1;
  if (text.charCodeAt(end) === RETURN && text.charCodeAt(end + 1) === NEWLINE) return end + 2;
  return -1;
}

/** A wrapped block: its lines' runs, where it ends, and the runs joined. */
export interface WrappedBlock {
  readonly runs: readonly { readonly start: number; readonly end: number }[];
  readonly end: number;
  readonly joined: string;
}

/**
 * The wrapped block whose first line's run is text[start, end), read up to `to`. Undefined when
 * the run is not the first line of such a block.
 */
export function wrappedBlock(
  text: string,
  start: number,
  end: number,
  to: number,
): WrappedBlock | undefined {
  const width = end - start;
  if (width < MIN_WRAP_WIDTH || width % 4 !== 0 || text.charCodeAt(end - 1) === EQUALS) {
    return undefined;
  }
  const runs = [{ start, end }];
  let length = width;
  for (let line = nextLineStart(text, end); line !== -1 && line < to; ) {
    const run = pureRun(text, line, to);
    if (!run) break;
    const runLength = run.end - run.start;
    if (runLength > width || length + runLength > MAX_BLOCK_LENGTH) break;
    runs.push(run);
    length += runLength;
    if (runLength < width || text.charCodeAt(run.end - 1) === EQUALS) break;
    line = nextLineStart(text, run.end);
  }
  if (runs.length === 1) return undefined;
  const joined = runs.map((run) => text.slice(run.start, run.end)).join("");
  return { runs, end: runs.at(-1)!.end, joined };
}

/**
 * text[from, to) widened to whole wrapped blocks: back over the lines that hold only base64 and
 * the line before them (a block's first line), and on over such lines. A revision's changed
 * lines are read again so; the wrapped blocks they touch are read whole.
 */
export function widenToWrappedBlocks(
  text: string,
  from: number,
  to: number,
): { from: number; to: number } {
  let start = from;
  while (start > 0 && from - start <= MAX_BLOCK_LENGTH) {
    const previous = text.lastIndexOf("\n", start - 2) + 1;
    start = previous;
    if (!pureRun(text, previous, text.length)) break;
  }
  let end = to;
  while (end < text.length && end - to <= MAX_BLOCK_LENGTH) {
    const line = nextLineStart(text, end);
    if (line === -1 || !pureRun(text, line, text.length)) break;
    const newline = text.indexOf("\n", line);
    end = newline === -1 ? text.length : newline;
  }
  return { from: start, to: end };
}
