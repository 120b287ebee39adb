import { type GitContext, runGitRaw } from "./run-git.js";

/**
 * Git stores file names as bytes; a name that is not UTF-8 (a Latin-1 `café.txt`) is reported
 * with U+FFFD in place of its bytes, and `git show commit:<that text>` finds no such path. This
 * finds the blob again: the one entry of the commit's tree whose name reads as `path`.
 */

const REPLACEMENT = "\uFFFD";

/**
 * The blob at the path of `commit` whose name, read as UTF-8, is `path`; undefined when the path
 * holds no U+FFFD (nothing to look up), the tree cannot be listed, or not exactly one blob reads
 * so (two names that read the same cannot be told apart).
 */
export async function blobByPathText(
  commit: string,
  path: string,
  context: GitContext,
): Promise<string | undefined> {
  if (!path.includes(REPLACEMENT)) return undefined;
  const listed = await runGitRaw(["ls-tree", "-r", "-z", "--full-tree", commit], context);
  if (listed.code !== 0) return undefined;
  const matches: string[] = [];
  let start = 0;
  while (start < listed.stdout.length) {
    let end = listed.stdout.indexOf(0, start);
    if (end === -1) end = listed.stdout.length;
    // `<mode> SP <type> SP <object> TAB <path>`, the path as raw bytes under -z.
    const entry = listed.stdout.subarray(start, end);
    const tab = entry.indexOf(9);
    const [, type, object] = entry.subarray(0, tab).toString("latin1").split(" ");
    if (tab !== -1 && type === "blob" && entry.subarray(tab + 1).toString("utf8") === path)
      matches.push(object!);
    start = end + 1;
  }
  return matches.length === 1 ? matches[0] : undefined;
}
