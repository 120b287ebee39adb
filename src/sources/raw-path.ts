import { readdirSync } from "node:fs";
import { parse, sep } from "node:path";

/**
 * File names are bytes; Node lists them as UTF-8 text, so a name that is not UTF-8 (a Latin-1
 * `café.txt` from an old archive) comes back with U+FFFD in place of its bytes and cannot be
 * opened by that text. This finds the bytes again, one folder at a time.
 */

const REPLACEMENT = "\uFFFD";

/**
 * The path as bytes that open it: each part holding U+FFFD is looked up among its folder's
 * entries as bytes. A path without one is returned as it is, and so is one whose bytes cannot
 * be told apart (two names that read the same), which then fails to open as before.
 */
export function openablePath(path: string): string | Buffer {
  if (!path.includes(REPLACEMENT)) return path;
  const { root } = parse(path);
  let folder: Buffer = Buffer.from(root);
  for (const part of path.slice(root.length).split(sep)) {
    const bytes = part.includes(REPLACEMENT) ? entryNamed(folder, part) : Buffer.from(part);
    if (bytes === undefined) return path;
    const separator = folder.length === 0 || folder.at(-1) === sep.charCodeAt(0) ? "" : sep;
    folder = Buffer.concat([folder, Buffer.from(separator), bytes]);
  }
  return folder;
}

/** The one entry of `folder` whose name reads as `name`. */
function entryNamed(folder: Buffer, name: string): Buffer | undefined {
  let entries: Buffer[];
  try {
    entries = readdirSync(folder, { encoding: "buffer" });
  } catch {
    return undefined;
  }
  const matches = entries.filter((entry) => entry.toString("utf8") === name);
  return matches.length === 1 ? matches[0] : undefined;
}
