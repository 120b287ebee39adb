import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { decodeText } from "./sources/read-text.js";

/**
 * A file's text, read only if it is a regular file: a FIFO named as a config or a report would
 * otherwise wait for a writer forever. O_NONBLOCK makes opening a FIFO return at once. A folder
 * fails with EISDIR, anything else but a file (or /dev/null, read as empty) with the code
 * `not a regular file`, so callers word every failure from its code as before.
 */
export function readRegularFile(path: string): string {
  return readRegularFileBytes(path).toString("utf8");
}

/**
 * A text file as people save it, read only if it is a regular file: UTF-8 with or without a
 * byte-order mark, or UTF-16 (Windows PowerShell's `>` writes UTF-16 after a mark, so a report
 * or baseline saved with `> report.json` is one), decoded as scans decode files. For files
 * keywarden only reads: one it rewrites keeps its bytes with readRegularFile.
 */
export function readRegularText(path: string): string {
  return decodeText(readRegularFileBytes(path));
}

/** readRegularFile's bytes, for a reader that decodes them itself (UTF-16, Latin-1). */
export function readRegularFileBytes(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    // `--config /dev/null`: the usual way to say "no config".
    if (stats.isCharacterDevice() && resolve(path) === "/dev/null") return Buffer.alloc(0);
    if (!stats.isFile()) {
      const code = stats.isDirectory() ? "EISDIR" : "not a regular file";
      throw Object.assign(new Error(`${path}: ${code}`), { code });
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
