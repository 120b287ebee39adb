/**
 * Git LFS pointer files stand in for content stored elsewhere: three short lines whose sha256
 * oid looks like a key to generic rules. Sources skip them with a notice.
 * Format: https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md
 */

const POINTER_START = "version https://git-lfs.github.com/spec/";
/** The spec caps pointer files at 1024 bytes. */
const MAX_POINTER_SIZE = 1024;
const POINTER_LINE =
  /^(?:version https:\/\/git-lfs\.github\.com\/spec\/\S+|oid sha256:[0-9a-f]{64}|size \d+|ext-\d+-\S+ \S+)$/;

/**
 * True for the complete content of an LFS pointer file: every line a pointer line, version
 * first, with an oid and a size. Anything more is a file that only starts like a pointer, and
 * is scanned.
 */
export function isLfsPointer(content: Buffer | string): boolean {
  if (content.length > MAX_POINTER_SIZE) return false;
  const text = typeof content === "string" ? content : content.toString("utf8");
  if (!text.startsWith(POINTER_START)) return false;
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  return (
    lines.every((line) => POINTER_LINE.test(line)) &&
    lines.some((line) => line.startsWith("oid sha256:")) &&
    lines.some((line) => line.startsWith("size "))
  );
}

/** True when the added lines of a diff are all pointer lines and change a pointer's oid. */
export function areLfsPointerLines(lines: readonly string[]): boolean {
  if (lines.length === 0 || lines.length > 8) return false;
  let hasOid = false;
  for (const line of lines) {
    if (!POINTER_LINE.test(line)) return false;
    if (line.startsWith("oid sha256:")) hasOid = true;
  }
  return hasOid;
}
