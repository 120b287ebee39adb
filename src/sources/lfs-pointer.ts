/**
 * Git LFS pointer files stand in for content stored elsewhere: three short lines whose sha256
 * oid looks like a key to generic rules. Sources skip them with a notice, so the test is as
 * strict as the spec: a file only shaped like a pointer (a key in an extension line, an
 * unknown key, a line out of order) is scanned.
 * Format: https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md
 */

/** The spec caps pointer files at 1024 bytes. */
const MAX_POINTER_SIZE = 1024;

const VERSION_LINE = "version https://git-lfs.github.com/spec/v1";
/** `ext-<one-digit priority>-<name> sha256:<hash>`: a hash, never free text. */
const EXTENSION_LINE = /^ext-\d-[A-Za-z0-9]+ sha256:[0-9a-f]{64}$/;
const OID_LINE = /^oid sha256:[0-9a-f]{64}$/;
const SIZE_LINE = /^size \d+$/;

/** Any one line a pointer may hold, for a diff that shows only some of them. */
function isPointerLine(line: string): boolean {
  return (
    line === VERSION_LINE ||
    EXTENSION_LINE.test(line) ||
    OID_LINE.test(line) ||
    SIZE_LINE.test(line)
  );
}

/**
 * True for the complete content of an LFS pointer file: the version line, extension lines in
 * priority order, the oid and the size, each once and ending with a line end.
 */
export function isLfsPointer(content: Buffer | string): boolean {
  if (content.length > MAX_POINTER_SIZE) return false;
  const text = typeof content === "string" ? content : content.toString("utf8");
  if (!text.endsWith("\n")) return false;
  // A checkout with CRLF line ends (core.autocrlf) is still the pointer git holds.
  const lines = text.replace(/\r?\n$/, "").split(/\r?\n/);
  if (lines.length < 3 || lines[0] !== VERSION_LINE) return false;
  const extensions = lines.slice(1, -2);
  const priorities = extensions.map((line) => line.charAt(4));
  return (
    extensions.every((line) => EXTENSION_LINE.test(line)) &&
    priorities.every((priority, index) => index === 0 || priority > priorities[index - 1]!) &&
    OID_LINE.test(lines.at(-2) ?? "") &&
    SIZE_LINE.test(lines.at(-1) ?? "")
  );
}

/** True when the added lines of a diff are all pointer lines and change a pointer's oid. */
export function areLfsPointerLines(lines: readonly string[]): boolean {
  if (lines.length === 0 || lines.length > 8) return false;
  let hasOid = false;
  for (const line of lines) {
    if (!isPointerLine(line)) return false;
    if (OID_LINE.test(line)) hasOid = true;
  }
  return hasOid;
}
