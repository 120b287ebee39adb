import type { CommitBlob } from "./commit-log.js";
import { type GitContext, runGit } from "./run-git.js";

/**
 * Every blob of a tree (or of a commit's tree), with its path from the tree's top, read as UTF-8
 * (a name that is not UTF-8 holds U+FFFD); submodule entries are commits, and left out.
 */
export async function treeBlobs(tree: string, context: GitContext): Promise<CommitBlob[]> {
  const listing = await runGit(["ls-tree", "-r", "-z", "--full-tree", tree], context);
  const blobs: CommitBlob[] = [];
  for (const entry of listing.split("\0")) {
    // `<mode> <type> <sha>\t<path>`
    const tab = entry.indexOf("\t");
    const [mode = "", type, sha = ""] = entry.slice(0, tab).split(" ");
    if (tab === -1 || type !== "blob") continue;
    blobs.push({ sha, path: entry.slice(tab + 1), mode });
  }
  return blobs;
}
