import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { GitError, UsageError } from "../errors.js";
import { type GitContext, gitFailure, gitOutputLines, runGit, runGitRaw } from "./run-git.js";

/** What a history scan needs to know about a repository before it starts. */
export interface RepositoryState {
  readonly gitDir: string;
  readonly isBare: boolean;
  /** A shallow clone: history stops at its grafted boundary commits. */
  readonly isShallow: boolean;
  /** A partial clone: some objects live only on a promisor remote. */
  readonly isPartialClone: boolean;
  /** False for a freshly initialised repository (no commit on any ref). */
  readonly hasCommits: boolean;
}

/** Throws GitError ("not a git repository: <dir>") outside a repository. */
export async function probeRepository(context: GitContext): Promise<RepositoryState> {
  const [revParse, promisor, anyCommit] = await Promise.all([
    runGit(
      ["rev-parse", "--absolute-git-dir", "--is-bare-repository", "--is-shallow-repository"],
      context,
    ),
    runGitRaw(
      ["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.promisor)$"],
      context,
    ),
    runGitRaw(["rev-list", "--max-count=1", "--all"], context),
  ]);
  // An empty repository lists nothing and exits 0; a failure means git cannot walk the refs
  // (a ref to a missing commit, a damaged object), which must not pass for "nothing to scan".
  if (anyCommit.code !== 0) {
    throw gitFailure(
      ["rev-list", "--all"],
      anyCommit.stderr,
      anyCommit.code,
      context.cwd,
      "the repository is damaged: git fsck lists what is missing",
    );
  }
  const [gitDir = "", isBare, isShallow] = revParse.split("\n");
  const isPartialClone = promisor.stdout
    .toString("utf8")
    .split("\n")
    .some((line) => /^extensions\.partialclone \S/i.test(line) || /\.promisor true$/i.test(line));
  return {
    gitDir,
    isBare: isBare === "true",
    isShallow: isShallow === "true",
    isPartialClone,
    hasCommits: anyCommit.stdout.length > 0,
  };
}

/** Whether the clone is shallow: its history stops at grafted boundary commits. */
export async function isShallowRepository(context: GitContext): Promise<boolean> {
  return (await runGit(["rev-parse", "--is-shallow-repository"], context)).trim() === "true";
}

/** Whether any ref exists: in a repository without commits, one names a blob, tree or tag. */
export async function hasRefs(context: GitContext): Promise<boolean> {
  return (await runGit(["for-each-ref", "--count=1", "--format=%(refname)"], context)) !== "";
}

/** Fails with one clear line when `revision` names no commit (a mistyped --branch). */
export async function assertCommitExists(revision: string, context: GitContext): Promise<void> {
  const result = await runGitRaw(
    ["rev-parse", "--verify", "--quiet", "--end-of-options", `${revision}^{commit}`],
    context,
  );
  if (result.code === 0) return;
  // Named, but not a commit (`main^{tree}`, `main:app.env`, a tag of a tree): say what it is,
  // past any tags (`^{}` peels them; after a path, `rev:path^{}` would name another file).
  for (const named of [`${revision}^{}`, revision]) {
    const kind = await runGitRaw(["cat-file", "-t", "--end-of-options", named], context);
    const type = kind.code === 0 ? kind.stdout.toString("utf8").trim() : "";
    if (type !== "") {
      throw new GitError(
        `${revision} names a ${type}, not a commit: history walks commits (a branch, a tag of a commit, a commit)`,
        `git rev-parse ${revision}`,
      );
    }
  }
  throw new GitError(`unknown branch or revision: ${revision}`, `git rev-parse ${revision}`);
}

/**
 * Fails with one clear line when git cannot read `value` as a date. `git log --since` takes
 * anything: an unknown word means "now" and a 13th month rolls over, so a mistyped date would
 * scan nothing and report a clean history. Git's careful parser (the one its config uses for
 * dates) refuses unknown words; calendar dates are checked here, as it lets them roll over.
 */
export async function assertDateParses(value: string, context: GitContext): Promise<void> {
  const invalid = () => new UsageError(`--since: "${value}" is not a date git understands`);
  const calendar = /^(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])/.exec(value.trim());
  if (calendar) {
    const [year, month, day] = calendar.slice(1).map(Number) as [number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw invalid();
  }
  const result = await runGitRaw(
    ["-c", `keywarden.since=${value}`, "config", "--type=expiry-date", "keywarden.since"],
    context,
  );
  if (result.code !== 0) throw invalid();
}

/**
 * The blobs a partial clone holds locally. Asking git for any other one would start a fetch
 * from the promisor remote (or, with fetching refused, kill the reader), so history scans ask
 * only for these and list the rest as missing.
 */
export async function listLocalBlobs(context: GitContext): Promise<Set<string>> {
  const args = [
    "cat-file",
    "--batch-all-objects",
    "--batch-check=%(objecttype) %(objectname)",
    "--unordered",
  ];
  const blobs = new Set<string>();
  for await (const lines of gitOutputLines(args, context)) {
    for (const line of lines) if (line.startsWith("blob ")) blobs.add(line.slice(5));
  }
  return blobs;
}

/**
 * The blobs of the object store larger than `maxSize`, with their sizes. `git cat-file --batch`
 * holds a blob stored as a delta whole in memory to answer it, even one the reader then reads
 * past (three times the size of a 150 MB one at its peak), so history scans never ask for
 * these: their size is all a skip notice needs. One pass over object headers, not contents.
 */
export async function listLargeBlobs(
  context: GitContext,
  maxSize: number,
): Promise<Map<string, number>> {
  const args = [
    "cat-file",
    "--batch-all-objects",
    "--batch-check=%(objecttype) %(objectsize) %(objectname)",
    "--unordered",
  ];
  const large = new Map<string, number>();
  for await (const lines of gitOutputLines(args, context)) {
    for (const line of lines) {
      if (!line.startsWith("blob ")) continue;
      const space = line.indexOf(" ", 5);
      const size = Number(line.slice(5, space));
      if (size > maxSize) large.set(line.slice(space + 1), size);
    }
  }
  return large;
}

/**
 * The commits where a shallow clone's history is cut: those its `shallow` file lists that have
 * parents the clone lacks. Git shows such a commit as a root, so its diff would call its whole
 * tree added. (A true root commit can be listed too; it has no parent line and is left out.)
 */
export async function shallowBoundary(context: GitContext): Promise<Set<string>> {
  const file = (await runGit(["rev-parse", "--git-path", "shallow"], context)).trim();
  let listed: string[];
  try {
    listed = readFileSync(resolve(context.cwd, file), "utf8").split("\n").filter(Boolean);
  } catch {
    return new Set();
  }
  const cut = await Promise.all(
    listed.map(async (sha) => {
      const commit = await runGitRaw(["cat-file", "commit", sha], context);
      const header = commit.stdout.toString("utf8").split("\n\n", 1)[0] ?? "";
      return commit.code === 0 && /^parent /m.test(header) ? [sha] : [];
    }),
  );
  return new Set(cut.flat());
}

/** The best common ancestor of two commits; undefined when their histories never meet. */
export async function mergeBase(
  a: string,
  b: string,
  context: GitContext,
): Promise<string | undefined> {
  const result = await runGitRaw(["merge-base", "--end-of-options", a, b], context);
  return result.code === 0 ? result.stdout.toString("utf8").trim() : undefined;
}

/** The empty tree's name in this repository's hash (SHA-1 or SHA-256). */
export async function emptyTree(context: GitContext): Promise<string> {
  return (await runGit(["hash-object", "-t", "tree", "--stdin"], context)).trim();
}
