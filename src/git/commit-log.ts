import { GitError } from "../errors.js";
import type { GitProvenance } from "../types.js";
import {
  COMMIT_HEADER_ARGS,
  HEADER_BYTE,
  HEADER_FIELDS,
  parseCommitHeader,
  provenanceOf,
} from "./commit-header.js";
import {
  collectStderr,
  exitCode,
  expectGitSuccess,
  type GitContext,
  runGitRaw,
  spawnGit,
} from "./run-git.js";

/**
 * Walks commits oldest first with `git log --raw`: for each commit, the blobs it brings in (the
 * new side of every added or modified file). Merges are diffed with `-c`, so only content that
 * differs from every parent (a conflict resolution, an evil merge) counts as new there; what
 * came from a side branch was already seen on that branch, which the walk visits first.
 * A walk cut short by date or count follows renames: a file moved inside the selection is
 * one revision of the file it was before, not a file added there.
 */

export interface CommitBlob {
  readonly sha: string;
  readonly path: string;
  readonly mode: string;
  /**
   * The blob this one modifies, for a commit with one parent: at the same path, or at the
   * path it was renamed from (renames are followed by a cut walk only).
   */
  readonly previous?: string;
  /** For a merge: the blobs its parents hold at the same path, those that have the file. */
  readonly mergedFrom?: readonly string[];
}

export interface LoggedCommit {
  readonly info: GitProvenance;
  readonly blobs: readonly CommitBlob[];
}

export interface CommitLogSelection {
  /** Revisions to walk (a branch, a range); all refs when empty. */
  readonly revisions?: readonly string[];
  /** Only commits more recent than this date (anything git's `--since` accepts). */
  readonly since?: string;
  /** Only the N most recent commits. */
  readonly maxCount?: number;
}

const NULL_SHA = /^0+$/;

/** Whether the walk starts inside history (a date or a count), not at its roots. */
export function isCutWalk(selection: CommitLogSelection): boolean {
  return selection.since !== undefined || selection.maxCount !== undefined;
}

/** What makes `git log` write each commit's header and raw diff as readLog reads them. */
function rawDiffArgs(selection: CommitLogSelection): string[] {
  return [
    "log",
    "--raw",
    "-c",
    // Rename detection costs time on every commit: only a cut walk needs it (see above).
    isCutWalk(selection) ? "--find-renames" : "--no-renames",
    "--no-abbrev",
    "--root",
    "-z",
    "--no-show-signature",
    "--no-textconv",
    // Paths from the repository's top even where the user's diff.relative would cut them to
    // the current folder (and leave out everything outside it).
    "--no-relative",
    ...COMMIT_HEADER_ARGS,
  ];
}

/** Which commits a selection walks, and in what order: oldest first, as rev-list reads them. */
function walkArgs(selection: CommitLogSelection): string[] {
  const args = ["--reverse", "--date-order"];
  if (selection.since !== undefined) args.push(`--since=${selection.since}`);
  if (selection.maxCount !== undefined) args.push(`--max-count=${selection.maxCount}`);
  const revisions = selection.revisions ?? [];
  if (revisions.length === 0) args.push("--all");
  // `--`: a branch named like a file or folder (docs) is still a revision.
  else args.push("--end-of-options", ...revisions, "--");
  return args;
}

export function commitLogArgs(selection: CommitLogSelection): string[] {
  return [...rawDiffArgs(selection), ...walkArgs(selection)];
}

interface RawEntry {
  readonly sha: string;
  readonly mode: string;
  readonly previous?: string;
  readonly mergedFrom?: readonly string[];
}

/**
 * Reads a raw line: `:old new oldsha newsha S` or `::p1 p2 new s1 s2 new SS`. Undefined for a
 * deletion. `paths`: how many path tokens follow (two for a rename: from, to).
 * Fields are read from the bytes into strings of their own: the walk keeps the name of every
 * blob of the history, and a name cut from the line's text would keep the whole line alive.
 */
function parseRawMeta(meta: Buffer): { entry: RawEntry | undefined; paths: number } {
  let parents = 0;
  while (meta[parents] === 58 /* : */) parents++;
  const starts = [parents];
  for (let space = meta.indexOf(32, parents); space !== -1; space = meta.indexOf(32, space + 1)) {
    starts.push(space + 1);
  }
  const field = (index: number) =>
    meta.toString("latin1", starts[index], (starts[index + 1] ?? meta.length + 1) - 1);
  const status = field(starts.length - 1);
  const isRename = parents === 1 && (status.startsWith("R") || status.startsWith("C"));
  const paths = isRename ? 2 : 1;
  if (status.includes("D")) return { entry: undefined, paths };
  const mode = field(parents);
  const sha = field(starts.length - 2);
  if (NULL_SHA.test(sha)) return { entry: undefined, paths };
  // Parents' blobs follow the modes: one per parent, all zeros where a parent lacks the file.
  if (parents > 1) {
    const mergedFrom: string[] = [];
    for (let index = parents + 1; index <= 2 * parents; index++) {
      const parentSha = field(index);
      if (!NULL_SHA.test(parentSha)) mergedFrom.push(parentSha);
    }
    return { entry: { sha, mode, mergedFrom }, paths };
  }
  // A modification or a rename: the old blob is the text this one revises.
  const previous = status === "M" || isRename ? field(2) : undefined;
  return { entry: previous ? { sha, mode, previous } : { sha, mode }, paths };
}

/**
 * Streams commits with the blobs they introduce, in batches (one per chunk of git output).
 * Throws GitError when git fails; commits read before the failure have been yielded.
 */
export function logCommits(
  selection: CommitLogSelection,
  context: GitContext,
): AsyncGenerator<LoggedCommit[]> {
  return readLog(commitLogArgs(selection), context);
}

/**
 * Reads `git log` output of rawDiffArgs' shape. `commits`: the commits to show, in this order,
 * given on standard input (`--stdin`); the args then hold no walk of their own.
 */
async function* readLog(
  args: readonly string[],
  context: GitContext,
  commits?: readonly string[],
): AsyncGenerator<LoggedCommit[]> {
  const child = spawnGit(args, context);
  const stderr = collectStderr(child);
  const exited = exitCode(child);
  child.stdin.end(commits ? `${commits.join("\n")}\n` : "");

  let current: { info: GitProvenance; blobs: CommitBlob[] } | undefined;
  /** The fields of a commit header read so far (each is a token of its own). */
  let header: string[] | undefined;
  /** The raw line read, and how many of its path tokens are still to come. */
  let pendingEntry: RawEntry | undefined;
  let pathsToCome = 0;
  let partial: Buffer[] = [];
  let batch: LoggedCommit[] = [];

  const token = (raw: Buffer) => {
    if (header !== undefined) {
      header.push(raw.toString("utf8"));
      if (header.length === HEADER_FIELDS) {
        current = { info: provenanceOf(header), blobs: [] };
        header = undefined;
      }
      return;
    }
    if (pathsToCome > 0) {
      // The last path is where the blob is now (a rename's first is where it was). A path is
      // taken whole: a file name may start with a newline.
      if (--pathsToCome > 0) return;
      if (pendingEntry && current)
        current.blobs.push({ ...pendingEntry, path: raw.toString("utf8") });
      pendingEntry = undefined;
      return;
    }
    // A header or a raw line may start on a new line after the previous record's end.
    const bytes = raw[0] === 10 ? raw.subarray(1) : raw;
    if (bytes[0] === HEADER_BYTE) {
      if (current) batch.push(current);
      current = undefined;
      header = [bytes.toString("utf8", 1)];
    } else if (bytes[0] === 58 /* : */) {
      const { entry, paths } = parseRawMeta(bytes);
      pendingEntry = entry;
      pathsToCome = paths;
    }
  };

  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
        const piece = chunk.subarray(start, end);
        if (partial.length > 0) {
          partial.push(piece);
          token(Buffer.concat(partial));
          partial = [];
        } else {
          token(piece);
        }
        start = end + 1;
      }
      if (start < chunk.length) partial.push(chunk.subarray(start));
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    if (partial.length > 0) token(Buffer.concat(partial));
    if (current) batch.push(current);
    if (batch.length > 0) yield batch;
    await expectGitSuccess(exited, args, stderr, context);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/**
 * How many commits in a row git cannot diff before the walk stops: a repository that has lost
 * every tree would cost a git process per commit, for nothing.
 */
const MAX_UNREADABLE_IN_A_ROW = 25;

/**
 * logCommits, read on past commits git cannot diff: in a damaged repository missing a tree, `git
 * log` stops at the first commit whose tree, or whose parent's tree, it cannot read. Each such
 * commit is passed to `onUnreadable`, with whether its own tree could be listed: its blobs are
 * then taken from that listing, each as new to it, since no diff can say which it brought. The
 * walk goes on with the commits after it, which rev-list lists without reading trees. Throws
 * what logCommits throws when those cannot be listed (a missing commit), or after
 * MAX_UNREADABLE_IN_A_ROW such commits in a row.
 */
export async function* logCommitsReadingOn(
  selection: CommitLogSelection,
  context: GitContext,
  onUnreadable: (commit: string, reason: string, listed: boolean) => void,
): AsyncGenerator<LoggedCommit[]> {
  let log = logCommits(selection, context);
  /** Commits of the walk shown or passed over so far (git log and rev-list agree on order). */
  let position = 0;
  /** The walk's commits in order, listed at the first failure only: a long history's is large. */
  let walked: readonly string[] | undefined;
  let inARow = 0;
  for (;;) {
    try {
      for await (const batch of log) {
        inARow = 0;
        position += batch.length;
        yield batch;
      }
      return;
    } catch (error) {
      if (!(error instanceof GitError) || ++inARow > MAX_UNREADABLE_IN_A_ROW) throw error;
      walked ??= await listWalk(selection, context);
      const failed = walked?.[position];
      if (walked === undefined || failed === undefined) throw error;
      position++;
      const fromTree = await commitFromTree(failed, context);
      onUnreadable(failed, error.message, fromTree !== undefined);
      if (fromTree) yield [fromTree];
      const after = walked.slice(position);
      if (after.length === 0) return;
      log = readLog([...rawDiffArgs(selection), "--no-walk=unsorted", "--stdin"], context, after);
    }
  }
}

/** The commits a selection walks, oldest first; undefined when git cannot list them. */
async function listWalk(
  selection: CommitLogSelection,
  context: GitContext,
): Promise<string[] | undefined> {
  const listed = await runGitRaw(["rev-list", ...walkArgs(selection)], context);
  if (listed.code !== 0) return undefined;
  return listed.stdout
    .toString("latin1")
    .split("\n")
    .filter((commit) => commit !== "");
}

/** A commit with every blob of its tree, as if it brought them all; undefined when unreadable. */
async function commitFromTree(
  commit: string,
  context: GitContext,
): Promise<LoggedCommit | undefined> {
  const header = await runGitRaw(
    ["log", "-1", "--no-walk", ...COMMIT_HEADER_ARGS, commit],
    context,
  );
  const tree = await runGitRaw(["ls-tree", "-r", "-z", "--full-tree", commit], context);
  if (header.code !== 0 || tree.code !== 0) return undefined;
  const blobs: CommitBlob[] = [];
  // `<mode> <type> <sha>\t<path>`, NUL-terminated; submodules (commits) are no content here.
  for (const entry of tree.stdout.toString("utf8").split("\0")) {
    const tab = entry.indexOf("\t");
    const [mode = "", type, sha = ""] = entry.slice(0, tab).split(" ");
    if (tab !== -1 && type === "blob") blobs.push({ sha, mode, path: entry.slice(tab + 1) });
  }
  return { info: parseCommitHeader(header.stdout.toString("utf8").trim()), blobs };
}
