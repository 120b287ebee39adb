import { isUtf8 } from "node:buffer";

/** Turning file bytes into scannable text, shared by every source that reads bytes. */

/** Git's own test: a NUL byte in the first 8000 bytes makes a file binary. */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/**
 * UTF-8 when the bytes are UTF-8; otherwise Latin-1, which maps every byte to one character, so
 * the ASCII keys inside a legacy-encoded file are still found at the right columns. (isUtf8 is
 * a native check; it and Buffer's decoder together cost a third of a fatal TextDecoder.)
 */
export function decodeText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString(isUtf8(buffer) ? "utf8" : "latin1");
  // A byte-order mark is no content: dropping it keeps line 1's columns right.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
