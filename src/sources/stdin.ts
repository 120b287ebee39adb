import { fstatSync } from "node:fs";
import type { Readable } from "node:stream";
import { RuntimeError } from "../errors.js";
import type { Fragment, SkipNotice } from "../types.js";
import { decodeText, isUtf16Text } from "./read-text.js";

/**
 * Standard input, as it streams in: a log tailed into `keywarden stdin` may never end, or hold
 * gigabytes, so it is scanned in pieces of about `pieceBytes`, each cut after a line end and
 * numbered from the line it starts on. Each piece is read after the last lines of the one
 * before, as context (see Fragment.contextOnly), so a private key or a provider's name across
 * a cut is still read whole. Memory holds one piece, or one line longer than a piece, up to
 * 64 MB: a longer line is cut, after a character no key holds where one is near the cut, and
 * read on from there with its columns counted from the line's start; each cut is a notice,
 * since a key (or the name before it) across it may be missed.
 *
 * A stream is read as text whatever bytes it holds, as other scanners read a pipe: a NUL byte
 * in a log (a container runtime's frame headers, a stray control character) must not hide the
 * lines around it, and a file's binary test, made on its start, would skip the whole stream.
 */
export interface StdinOptions {
  /** The name reported (`<stdin>` by default). */
  readonly path: string;
  /** Pieces are cut at the last line end before this many bytes (default 4 MB). */
  readonly pieceBytes?: number;
  /** Where a line too long to hold whole was cut (a notice the scan reports). */
  readonly onSkip?: (notice: SkipNotice) => void;
  /** A line is kept whole up to this many bytes (default 64 MB). */
  readonly maxLineBytes?: number;
}

const NEWLINE = 0x0a;
const DEFAULT_PIECE_BYTES = 4 * 1024 * 1024;
/** A line is kept whole up to this size (a minified bundle); a longer one is cut. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
/**
 * Bytes no key holds (quotes, brackets, separators, blanks): a line cut after one of them cuts
 * no key in two. One is looked for this far back from where the line must be cut.
 */
const CUT_AFTER = new Set([..." \t\"'`,;<>()[]{}"].map((char) => char.charCodeAt(0)));
const CUT_SEARCH_BYTES = 64 * 1024;
/** What of a piece's end the next piece reads again: a private key's lines, a name above a key. */
const OVERLAP_LINES = 64;
const OVERLAP_BYTES = 16 * 1024;
/**
 * How far back an armored block still open at a cut is read again whole: a PEM or PGP private
 * key block outgrows the line overlap (an RSA-8192 key has ~100 lines), and its rule needs
 * both markers. Larger PGP key blocks (many subkeys) are rare; the bound keeps the overlap small.
 */
const OPEN_BLOCK_BYTES = 256 * 1024;
const BEGIN_MARKER = Buffer.from("-----BEGIN");
const END_MARKER = Buffer.from("-----END");

/** The newlines in `bytes`. */
function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Where to end a piece of `bytes`: after the last line end before `limit`, or after a longer
 * first line; undefined while that line's end has not arrived. A line over `maxLineBytes` is
 * cut after the last byte no key holds (CUT_AFTER) within CUT_SEARCH_BYTES of that size, else
 * at it, moved back off the middle of a UTF-8 character.
 */
function pieceEnd(
  bytes: Buffer,
  limit: number,
  final: boolean,
  maxLineBytes: number,
): number | undefined {
  if (final && bytes.length <= limit) return bytes.length;
  const before = bytes.lastIndexOf(NEWLINE, limit - 1);
  if (before !== -1) return before + 1;
  const after = bytes.indexOf(NEWLINE, limit);
  if (after !== -1 && after < maxLineBytes) return after + 1;
  if (!final && bytes.length < maxLineBytes) return undefined;
  const most = Math.min(bytes.length, maxLineBytes);
  if (final && most === bytes.length) return most;
  for (let at = most - 1; at > 0 && at >= most - CUT_SEARCH_BYTES; at--) {
    if (CUT_AFTER.has(bytes[at]!)) return at + 1;
  }
  const end = characterStart(bytes, most);
  return end > 0 ? end : most;
}

/**
 * `end`, or where the UTF-8 character it falls in starts: at the end of the bytes held, the
 * last character may still be missing its continuation bytes.
 */
function characterStart(bytes: Buffer, end: number): number {
  let start = end;
  while (start > 0 && end - start < 4 && (bytes[start]! & 0xc0) === 0x80) start--;
  if (start < end) return start;
  if (end < bytes.length) return end;
  let lead = end - 1;
  while (lead > 0 && end - lead < 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  const byte = bytes[lead]!;
  const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead + length > end ? lead : end;
}

/**
 * The last lines of a piece (whole lines, within the overlap bounds), to read again; from the
 * line of an armored block's `-----BEGIN` when the block is still open at the piece's end.
 */
function overlapOf(piece: Buffer): Buffer {
  let start = piece.length;
  for (let lines = 0; lines < OVERLAP_LINES && start > 0; lines++) {
    const newline = piece.lastIndexOf(NEWLINE, start - 2);
    const next = newline + 1;
    if (piece.length - next > OVERLAP_BYTES) break;
    start = next;
  }
  return piece.subarray(Math.min(start, openBlockStart(piece)));
}

/** Where the line of a `-----BEGIN` marker with no `-----END` after it starts, near the end. */
function openBlockStart(piece: Buffer): number {
  const tailStart = Math.max(0, piece.length - OPEN_BLOCK_BYTES);
  const inTail = piece.subarray(tailStart).lastIndexOf(BEGIN_MARKER);
  if (inTail === -1) return piece.length;
  const begin = tailStart + inTail;
  if (piece.indexOf(END_MARKER, begin) !== -1) return piece.length;
  return begin === 0 ? 0 : piece.lastIndexOf(NEWLINE, begin - 1) + 1;
}

/**
 * Whether the stream reads a folder (`keywarden stdin < src`): Node gives such an input a
 * stream that ends at once, which would pass as a clean scan of nothing.
 */
function readsFolder(stdin: Readable): boolean {
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd !== "number") return false;
  try {
    return fstatSync(fd).isDirectory();
  } catch {
    return false;
  }
}

export async function* stdinFragments(
  stdin: Readable,
  options: StdinOptions,
): AsyncGenerator<Fragment> {
  if (readsFolder(stdin))
    throw new RuntimeError(
      "standard input is a folder: give keywarden stdin a file or a pipe, or scan the folder with keywarden scan",
    );
  const { path } = options;
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  let pieceBytes = options.pieceBytes ?? DEFAULT_PIECE_BYTES;
  /** Where the next piece starts on its line: past 1 when the piece before cut a long line. */
  let startColumn = 1;
  let held: Buffer[] = [];
  let heldBytes = 0;
  let startLine = 1;
  let first = true;
  /** The end of the last piece, read again before the next. */
  let overlap = Buffer.alloc(0);

  function* pieces(final: boolean): Generator<Fragment> {
    let bytes = Buffer.concat(held, heldBytes);
    while (bytes.length > 0 && (final || bytes.length >= pieceBytes)) {
      if (first) {
        first = false;
        if (isUtf16Text(bytes)) {
          // UTF-16 is decoded whole: its line ends are two bytes, and only its first piece
          // shows what it is (the byte-order mark, or the zero bytes of its first characters).
          pieceBytes = Number.POSITIVE_INFINITY;
          continue;
        }
      }
      const end = pieceEnd(bytes, pieceBytes, final, maxLineBytes);
      if (end === undefined) break;
      const piece = bytes.subarray(0, end);
      bytes = bytes.subarray(end);
      const contextLines = countLines(overlap);
      const context = new Set(
        Array.from({ length: contextLines }, (_, index) => startLine - contextLines + index),
      );
      const text = decodeText(Buffer.concat([overlap, piece]));
      let readAgainChars = 0;
      for (let line = 0; line < contextLines; line++)
        readAgainChars = text.indexOf("\n", readAgainChars) + 1;
      if (startColumn > 1) {
        options.onSkip?.({
          path,
          reason: "line-cut",
          detail: `line ${startLine} is over ${Math.round(maxLineBytes / 2 ** 20)} MB: cut at column ${startColumn}`,
        });
      }
      yield {
        text,
        path,
        startLine: startLine - contextLines,
        ...(startColumn > 1 ? { startColumn } : {}),
        ...(contextLines > 0 ? { contextOnly: context, readAgainChars } : {}),
      };
      startLine += countLines(piece);
      // A piece cut inside a line leaves nothing whole to read again, and the next goes on
      // along that line.
      const ended = piece.at(-1) === NEWLINE;
      overlap = ended ? Buffer.from(overlapOf(piece)) : Buffer.alloc(0);
      const lastLineStart = text.lastIndexOf("\n") + 1;
      startColumn = ended
        ? 1
        : (lastLineStart === 0 ? startColumn : 1) + text.length - lastLineStart;
    }
    held = bytes.length > 0 ? [bytes] : [];
    heldBytes = bytes.length;
  }

  for await (const chunk of stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    held.push(bytes);
    heldBytes += bytes.length;
    // Only a line end, or a line grown too long, can end a piece: joining the chunks of a long
    // line at every chunk would cost its length each time.
    const canCut = bytes.includes(NEWLINE) || heldBytes >= maxLineBytes;
    if (heldBytes >= pieceBytes && canCut) yield* pieces(false);
  }
  yield* pieces(true);
}
