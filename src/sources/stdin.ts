import type { Readable } from "node:stream";
import type { Fragment, SkipNotice } from "../types.js";
import { decodeText, hasUtf16ByteOrderMark, isBinary } from "./read-text.js";

/**
 * Standard input, as it streams in: a log tailed into `keywarden stdin` may never end, or hold
 * gigabytes, so it is scanned in pieces of about `pieceBytes`, each cut after a line end and
 * numbered from the line it starts on. Memory holds one piece.
 */
export interface StdinOptions {
  /** The name reported (`<stdin>` by default). */
  readonly path: string;
  readonly onSkip: (notice: SkipNotice) => void;
  /** Pieces are cut at the last line end before this many bytes (default 4 MB). */
  readonly pieceBytes?: number;
}

const NEWLINE = 0x0a;
const DEFAULT_PIECE_BYTES = 4 * 1024 * 1024;

/** The newlines in `bytes`. */
function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Where to end a piece of `bytes`: after the last line end before `limit`; for a line longer
 * than that, at `limit`, moved back off the middle of a UTF-8 character.
 */
function pieceEnd(bytes: Buffer, limit: number): number {
  const newline = bytes.lastIndexOf(NEWLINE, limit - 1);
  if (newline !== -1) return newline + 1;
  let end = limit;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return end > 0 ? end : limit;
}

export async function* stdinFragments(
  stdin: Readable,
  options: StdinOptions,
): AsyncGenerator<Fragment> {
  const { path, onSkip } = options;
  let pieceBytes = options.pieceBytes ?? DEFAULT_PIECE_BYTES;
  let held: Buffer[] = [];
  let heldBytes = 0;
  let startLine = 1;
  let first = true;
  /** Set when the input is binary (judged, as git does, by its start): the rest is drained. */
  let binary = false;

  function* pieces(final: boolean): Generator<Fragment> {
    let bytes = Buffer.concat(held, heldBytes);
    while (bytes.length > 0 && (final || bytes.length >= pieceBytes)) {
      if (first) {
        first = false;
        if (isBinary(bytes)) {
          binary = true;
          onSkip({ path, reason: "binary", detail: "standard input holds binary data" });
          bytes = Buffer.alloc(0);
          break;
        }
        if (hasUtf16ByteOrderMark(bytes)) {
          // UTF-16 is decoded whole: only its first piece would carry the byte-order mark.
          pieceBytes = Number.POSITIVE_INFINITY;
          continue;
        }
      }
      const end = bytes.length <= pieceBytes && final ? bytes.length : pieceEnd(bytes, pieceBytes);
      const piece = bytes.subarray(0, end);
      bytes = bytes.subarray(end);
      yield { text: decodeText(piece), path, startLine };
      startLine += countLines(piece);
    }
    held = bytes.length > 0 ? [bytes] : [];
    heldBytes = bytes.length;
  }

  for await (const chunk of stdin) {
    if (binary) continue;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    held.push(bytes);
    heldBytes += bytes.length;
    if (heldBytes >= pieceBytes) yield* pieces(false);
  }
  if (!binary) yield* pieces(true);
}
