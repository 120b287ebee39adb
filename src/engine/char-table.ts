/** The characters of standard base64 (RFC 4648), padding aside. */
export const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * A set of characters as a table by UTF-16 code unit, 1 for those in `chars`: every code a
 * string can give has its entry, so a scan loop tests a character with one read and no range
 * check (a read past a string's end gives NaN, which no entry has).
 */
export function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(65536);
  for (const char of chars) table[char.charCodeAt(0)] = 1;
  return table;
}
