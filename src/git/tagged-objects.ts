import type { CommitBlob, LoggedCommit } from "./commit-log.js";
import { type GitContext, runGit } from "./run-git.js";

/**
 * Blobs and trees that a ref names directly rather than through a commit, as `git tag -a name
 * <blob>` makes (git.git keeps its maintainer's public key so). `git log --all` walks commits
 * only, so a history of all refs reads these apart. Each is attributed to its tag (tagger, date,
 * subject) or, for a lightweight ref, to the ref alone: a tagged blob at the ref's name, the
 * blobs of a tagged tree at their paths in it.
 */

const FIELDS = [
  "%(objecttype)",
  "%(objectname)",
  "%(*objecttype)",
  "%(*objectname)",
  "%(refname)",
  "%(taggername)",
  "%(taggeremail)",
  "%(taggerdate:iso-strict)",
  "%(contents:subject)",
];

export async function taggedObjects(context: GitContext): Promise<LoggedCommit[]> {
  const refs = await runGit(["for-each-ref", `--format=${FIELDS.join("%00")}`], context);
  const tagged: LoggedCommit[] = [];
  for (const line of refs.split("\n")) {
    const [type, name, peeledType, peeled, ref = "", tagger, email = "", date, subject] =
      line.split("\0");
    // An annotated tag names its object one step further.
    const objectType = type === "tag" ? peeledType : type;
    const object = type === "tag" ? peeled : name;
    if (!object || (objectType !== "blob" && objectType !== "tree")) continue;
    const blobs: CommitBlob[] =
      objectType === "blob"
        ? [{ sha: object, path: ref, mode: "100644" }]
        : await treeBlobs(object, context);
    tagged.push({
      info: {
        commit: name ?? object,
        author: tagger ?? "",
        email: email.replace(/^<|>$/g, ""),
        date: date ?? "",
        message: subject ?? "",
      },
      blobs,
    });
  }
  return tagged;
}

/** Every blob of a tree, with its path; submodule entries are commits, and left out. */
async function treeBlobs(tree: string, context: GitContext): Promise<CommitBlob[]> {
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
