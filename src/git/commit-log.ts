import type { GitProvenance } from "../types.js";
import { COMMIT_HEADER_ARGS, HEADER_BYTE, HEADER_FIELDS, provenanceOf } from "./commit-header.js";
import { collectStderr, exitCode, expectGitSuccess, type GitContext, spawnGit } from "./run-git.js";

/**
 * Walks commits oldest first with `git log --raw`: for each commit, the blobs it brings in (the
 * new side of every added or modified file). Merges are diffed with `-c`, so only content that
 * differs from every parent (a conflict resolution, an evil merge) counts as new there; what
 * came from a side branch was already seen on that branch, which the walk visits first.
 */

export interface CommitBlob {
  readonly sha: string;
  readonly path: string;
  readonly mode: string;
  /** The blob this one modifies at the same path, for a commit with one parent. */
  readonly previous?: string;
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

export function commitLogArgs(selection: CommitLogSelection): string[] {
  const args = [
    "log",
    "--raw",
    "-c",
    "--no-renames",
    "--no-abbrev",
    "--root",
    "-z",
    "--reverse",
    "--date-order",
    "--no-show-signature",
    "--no-textconv",
    // Paths from the repository's top even where the user's diff.relative would cut them to
    // the current folder (and leave out everything outside it).
    "--no-relative",
    ...COMMIT_HEADER_ARGS,
  ];
  if (selection.since !== undefined) args.push(`--since=${selection.since}`);
  if (selection.maxCount !== undefined) args.push(`--max-count=${selection.maxCount}`);
  const revisions = selection.revisions ?? [];
  if (revisions.length === 0) args.push("--all");
  // `--`: a branch named like a file or folder (docs) is still a revision.
  else args.push("--end-of-options", ...revisions, "--");
  return args;
}

/**
 * Reads the new blob of a raw line: `:old new oldsha newsha S` or `::p1 p2 new s1 s2 new SS`.
 * Fields are read from the bytes into strings of their own: the walk keeps the name of every
 * blob of the history, and a name cut from the line's text would keep the whole line alive.
 */
function parseRawMeta(meta: Buffer): { sha: string; mode: string; previous?: string } | undefined {
  let parents = 0;
  while (meta[parents] === 58 /* : */) parents++;
  const starts = [parents];
  for (let space = meta.indexOf(32, parents); space !== -1; space = meta.indexOf(32, space + 1)) {
    starts.push(space + 1);
  }
  const field = (index: number) =>
    meta.toString("latin1", starts[index], (starts[index + 1] ?? meta.length + 1) - 1);
  const status = field(starts.length - 1);
  if (status.includes("D")) return undefined;
  const mode = field(parents);
  const sha = field(starts.length - 2);
  if (NULL_SHA.test(sha)) return undefined;
  // A modification in a commit with one parent: the old blob is the text this one revises.
  const previous = parents === 1 && status === "M" ? field(2) : undefined;
  return previous ? { sha, mode, previous } : { sha, mode };
}

/**
 * Streams commits with the blobs they introduce, in batches (one per chunk of git output).
 * Throws GitError when git fails; commits read before the failure have been yielded.
 */
export async function* logCommits(
  selection: CommitLogSelection,
  context: GitContext,
): AsyncGenerator<LoggedCommit[]> {
  const args = commitLogArgs(selection);
  const child = spawnGit(args, context);
  const stderr = collectStderr(child);
  const exited = exitCode(child);
  child.stdin.end();

  let current: { info: GitProvenance; blobs: CommitBlob[] } | undefined;
  /** The fields of a commit header read so far (each is a token of its own). */
  let header: string[] | undefined;
  let pendingMeta: Buffer | undefined;
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
    if (pendingMeta !== undefined) {
      // A path is taken whole: a file name may start with a newline.
      const blob = parseRawMeta(pendingMeta);
      pendingMeta = undefined;
      if (blob && current) current.blobs.push({ ...blob, path: raw.toString("utf8") });
      return;
    }
    // A header or a raw line may start on a new line after the previous record's end.
    const bytes = raw[0] === 10 ? raw.subarray(1) : raw;
    if (bytes[0] === HEADER_BYTE) {
      if (current) batch.push(current);
      current = undefined;
      header = [bytes.toString("utf8", 1)];
    } else if (bytes[0] === 58 /* : */) {
      pendingMeta = bytes;
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
