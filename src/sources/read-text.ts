import { constants, isUtf8 } from "node:buffer";

/** Turning file bytes into scannable text, shared by every source that reads bytes. */

/**
 * The most bytes read as one text: V8 holds no longer string, so a larger file or blob (only
 * without --max-file-size, or with one above it) is read past and listed as unreadable.
 */
export const MAX_TEXT_BYTES = constants.MAX_STRING_LENGTH;

/** The bytes git's test and the encoding guesses look at: the file's first 8000. */
const SAMPLE_BYTES = 8000;

/**
 * The byte order a UTF-16 byte-order mark announces (Windows editors and PowerShell's `>`
 * write one). FF FE 00 00 is UTF-32's mark, not taken: such a file stays binary. Nor is a mark
 * with no NUL byte after it: UTF-16 writes one in every line break and ASCII character, so
 * such bytes are text of another encoding that only starts like a mark (`ÿþ` in Latin-1),
 * and reading them as UTF-16 would turn every key in them into CJK.
 */
function utf16ByteOrder(bytes: Uint8Array): "le" | "be" | undefined {
  const marked =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? "le"
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? "be"
        : undefined;
  if (marked === undefined || !bytes.subarray(2, SAMPLE_BYTES + 2).includes(0)) return undefined;
  return marked === "le" && bytes[2] === 0 && bytes[3] === 0 ? undefined : marked;
}

/**
 * The byte order of UTF-16 text written without a mark (.NET's Encoding.Unicode, some Windows
 * exports): in the sample, every character whose high byte is 0 (NUL) is text (a printable
 * ASCII or Latin-1 character, a tab, a line end), most characters are such, and no low byte is
 * 0. Binary data is never that regular; ASCII or UTF-8 text has no NUL at all.
 */
function unmarkedUtf16ByteOrder(bytes: Uint8Array): "le" | "be" | undefined {
  const length = Math.min(bytes.length, SAMPLE_BYTES) & ~1;
  // Text with no NUL at all (nearly every file) is not; the native search saves the loop.
  if (length < 4 || !bytes.subarray(0, length).includes(0)) return undefined;
  for (const order of ["le", "be"] as const) {
    const high = order === "le" ? 1 : 0;
    let ascii = 0;
    let isText = true;
    for (let at = 0; at < length && isText; at += 2) {
      const low = bytes[at + 1 - high]!;
      if (low === 0) isText = false;
      else if (bytes[at + high] === 0) {
        ascii++;
        isText = low === 0x09 || low === 0x0a || low === 0x0d || (low >= 0x20 && low !== 0x7f);
        isText &&= low < 0x80 || low >= 0xa0;
      }
    }
    if (isText && ascii * 10 >= (length / 2) * 7) return order;
  }
  return undefined;
}

/**
 * UTF-16's byte order when the bytes are UTF-16 text: after a byte-order mark, or without one
 * when most characters are ASCII (unmarkedUtf16ByteOrder).
 */
function utf16Order(bytes: Uint8Array): { order: "le" | "be"; markBytes: number } | undefined {
  const marked = utf16ByteOrder(bytes);
  if (marked) return { order: marked, markBytes: 2 };
  const unmarked = unmarkedUtf16ByteOrder(bytes);
  return unmarked && { order: unmarked, markBytes: 0 };
}

/**
 * Whether bytes are UTF-16 text, with a byte-order mark or without (decodeText then reads them
 * as UTF-16). Its line ends are two bytes, so it cannot be cut at a 0x0A byte.
 */
export function isUtf16Text(bytes: Uint8Array): boolean {
  return utf16Order(bytes) !== undefined;
}

/**
 * How many of the sample's bytes no text holds: NUL and the other control bytes but blanks,
 * line ends and ESC (a terminal colour in a log), and bytes that are no part of a UTF-8
 * character. A character cut off at the sample's end counts for nothing.
 */
function nonTextBytes(sample: Uint8Array): number {
  let count = 0;
  for (let at = 0; at < sample.length; at++) {
    const byte = sample[at]!;
    if (byte < 0x80) {
      const isBlank = (byte >= 0x09 && byte <= 0x0d) || byte === 0x1b;
      if ((byte < 0x20 && !isBlank) || byte === 0x7f) count++;
      continue;
    }
    const length =
      byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xf4 ? (byte >= 0xf0 ? 4 : 3) : 0;
    let next = 1;
    while (next < length && at + next < sample.length && (sample[at + next]! & 0xc0) === 0x80)
      next++;
    if (length > 0 && (next === length || at + next === sample.length)) at += next - 1;
    else count++;
  }
  return count;
}

/** The share of non-text bytes (nonTextBytes) up to which a sample holding NULs is text. */
const MOSTLY_TEXT = 0.1;

/**
 * Git's own test: a NUL byte in the first 8000 bytes makes a file binary. UTF-16 text is the
 * exception (its ASCII characters are half NUL bytes): decodeText reads it. So is text with a
 * few binary bytes among mostly text (no more than MOSTLY_TEXT of the sample): a log saved with
 * a container runtime's frame headers, text after a short binary header, a tar archive of text
 * files. A key in such a file is text all the same; images, executables and compressed data
 * hold far more such bytes.
 */
export function isBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  if (!sample.includes(0) || isUtf16Text(bytes)) return false;
  return nonTextBytes(sample) > sample.length * MOSTLY_TEXT;
}

/**
 * UTF-16 after a UTF-16 byte-order mark, or when its characters show it (unmarkedUtf16ByteOrder);
 * UTF-8 when the bytes are UTF-8; otherwise Latin-1,
 * which maps every byte to one character, so the ASCII keys inside a legacy-encoded file are
 * still found at the right columns. (isUtf8 is a native check; it and Buffer's decoder
 * together cost a third of a fatal TextDecoder.)
 */
export function decodeText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf16 = utf16Order(buffer);
  // A byte-order mark is no content: leaving it out keeps line 1's columns right. A last odd
  // byte of UTF-16 is half a character, dropped.
  if (utf16?.order === "le") return buffer.toString("utf16le", utf16.markBytes);
  if (utf16?.order === "be") {
    const end = buffer.length - ((buffer.length - utf16.markBytes) % 2);
    return Buffer.from(buffer.subarray(utf16.markBytes, end)).swap16().toString("utf16le");
  }
  const text = buffer.toString(isUtf8(buffer) ? "utf8" : "latin1");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
