import type { GitContext } from "./run-git.js";
import { treeBlobs } from "./tree-blobs.js";

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
  let blobs: Awaited<ReturnType<typeof treeBlobs>>;
  try {
    blobs = await treeBlobs(commit, context);
  } catch {
    return undefined;
  }
  const matches = blobs.filter((blob) => blob.path === path);
  return matches.length === 1 ? matches[0]!.sha : undefined;
}
