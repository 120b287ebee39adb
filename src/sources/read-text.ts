import { isUtf8 } from "node:buffer";

/** Turning file bytes into scannable text, shared by every source that reads bytes. */

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
  if (marked === undefined || !bytes.subarray(2, 8002).includes(0)) return undefined;
  return marked === "le" && bytes[2] === 0 && bytes[3] === 0 ? undefined : marked;
}

/** Whether bytes open with a UTF-16 byte-order mark (decodeText then reads them as UTF-16). */
export function hasUtf16ByteOrderMark(bytes: Uint8Array): boolean {
  return utf16ByteOrder(bytes) !== undefined;
}

/**
 * Git's own test: a NUL byte in the first 8000 bytes makes a file binary. UTF-16 text with a
 * byte-order mark is the exception (its ASCII characters are half NUL bytes): decodeText
 * reads it.
 */
export function isBinary(bytes: Uint8Array): boolean {
  return utf16ByteOrder(bytes) === undefined && bytes.subarray(0, 8000).includes(0);
}

/**
 * UTF-16 after a UTF-16 byte-order mark; UTF-8 when the bytes are UTF-8; otherwise Latin-1,
 * which maps every byte to one character, so the ASCII keys inside a legacy-encoded file are
 * still found at the right columns. (isUtf8 is a native check; it and Buffer's decoder
 * together cost a third of a fatal TextDecoder.)
 */
export function decodeText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = utf16ByteOrder(buffer);
  // A byte-order mark is no content: leaving it out keeps line 1's columns right. A last odd
  // byte of UTF-16 is half a character, dropped.
  if (order === "le") return buffer.toString("utf16le", 2);
  if (order === "be")
    return Buffer.from(buffer.subarray(2, buffer.length - (buffer.length % 2)))
      .swap16()
      .toString("utf16le");
  const text = buffer.toString(isUtf8(buffer) ? "utf8" : "latin1");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
