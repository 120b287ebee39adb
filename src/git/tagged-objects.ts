import type { CommitBlob, LoggedCommit } from "./commit-log.js";
import { type GitContext, runGit, runGitRaw } from "./run-git.js";
import { treeBlobs } from "./tree-blobs.js";

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
  const lines = refs.split("\n").map((line) => line.split("\0"));
  const nested = await peelNestedTags(lines, context);
  const tagged: LoggedCommit[] = [];
  for (const [
    type,
    name = "",
    peeledType,
    peeled,
    ref = "",
    tagger,
    email = "",
    date,
    subject,
  ] of lines) {
    // An annotated tag names its object one step further; a tag of a tag, further still.
    const [objectType, object] =
      type !== "tag"
        ? [type, name]
        : peeledType === "tag"
          ? (nested.get(name) ?? [])
          : [peeledType, peeled];
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
        ref,
      },
      blobs,
    });
  }
  return tagged;
}

/**
 * What tags of tags finally name, by the outer tag's object name: for-each-ref peels one step
 * only. Such tags are rare, so one `cat-file --batch-check` for all of them, and none without.
 */
async function peelNestedTags(
  lines: readonly string[][],
  context: GitContext,
): Promise<Map<string, [type: string, object: string]>> {
  const names = lines.flatMap(([type, name, peeledType]) =>
    type === "tag" && peeledType === "tag" && name ? [name] : [],
  );
  const peeled = new Map<string, [string, string]>();
  if (names.length === 0) return peeled;
  const result = await runGitRaw(
    ["cat-file", "--batch-check=%(objecttype) %(objectname)"],
    context,
    names.map((name) => `${name}^{}\n`).join(""),
  );
  // One answer line per name, in order; a missing object says so on its line.
  const answers = result.stdout.toString("utf8").split("\n");
  names.forEach((name, index) => {
    const [type = "", object = ""] = (answers[index] ?? "").split(" ");
    if (type !== "" && object !== "missing") peeled.set(name, [type, object]);
  });
  return peeled;
}
