import { GitError } from "../errors.js";
import { BlobHeads } from "../git/blob-heads.js";
import { COMMIT_HEADER_ARGS, HEADER, parseCommitHeader } from "../git/commit-header.js";
import { DiffParser } from "../git/diff-parser.js";
import { gitOutputLines, runGit, runGitRaw } from "../git/run-git.js";
import type { Fragment, GitProvenance } from "../types.js";
import type { HistoryProgress } from "./history-blobs.js";
import {
  ADDED_LINES_DIFF_OPTIONS,
  ADDED_LINES_FLAGS,
  type AddedLinesOptions,
  type ChangedFile,
  changedFileFragments,
  contextFlag,
  isScannable,
} from "./staged-diff.js";

/**
 * The lines each commit of a range (`A..B`, what a pull request or a push brings) adds, one
 * Fragment per commit and file, attributed to that commit, with the unchanged lines around
 * them as context (see AddedLinesOptions): the commit's version of the file is read as far
 * around them as the rules reach. One streamed `git log -p`: renames and copies count
 * only their new lines. A merge is read as its combined diff
 * (`--cc`): only lines in none of its parents are its own (a conflict resolution, an evil
 * merge); what it takes from a parent is that parent's, seen in its own commit when that is
 * in the range and not at all when it is not (a branch that merged main in does not bring
 * main's lines).
 */
export interface RangeOptions extends AddedLinesOptions {
  readonly range: string;
  /** A shallow clone's cut commits (see shallowBoundary): their diffs are not theirs. */
  readonly shallowBoundary?: ReadonlySet<string>;
  /** Commits read out of the range's, and the bytes of their diffs (for a progress bar). */
  readonly onProgress?: (progress: HistoryProgress) => void;
}

/**
 * How many commits the range holds, counted by git beside the log (a long range is as slow to
 * diff as a history is to read, and deserves the same progress bar). Undefined when git cannot
 * count them: the log then fails with git's own line.
 */
async function countCommits(options: RangeOptions): Promise<number | undefined> {
  try {
    const count = await runGit(
      ["rev-list", "--count", "--end-of-options", options.range, "--"],
      options,
    );
    return Number(count.trim());
  } catch {
    return undefined;
  }
}

/** What makes `git log` write each commit's header and the lines it adds, as parsed here. */
function rangeDiffArgs(options: Pick<AddedLinesOptions, "contextAround">): string[] {
  return [
    ...ADDED_LINES_DIFF_OPTIONS,
    "log",
    "-p",
    "--cc",
    "--root",
    "--no-show-signature",
    ...COMMIT_HEADER_ARGS,
    ...ADDED_LINES_FLAGS,
    contextFlag(options.contextAround !== undefined),
  ];
}

/** The range's walk: oldest first, a commit after its parents. */
const RANGE_WALK = ["--reverse", "--topo-order"];

export function rangeLogArgs(
  range: string,
  options: Pick<AddedLinesOptions, "contextAround"> = {},
): string[] {
  return [...rangeDiffArgs(options), ...RANGE_WALK, "--end-of-options", range, "--"];
}

/** Commits git cannot diff one after another before the scan stops (see rangeFragments). */
const MAX_UNREADABLE_IN_A_ROW = 25;

/** The range's commits in the log's order; undefined when git cannot list them. */
async function listRange(options: RangeOptions): Promise<string[] | undefined> {
  const listed = await runGitRaw(
    ["rev-list", ...RANGE_WALK, "--end-of-options", options.range, "--"],
    options,
  );
  if (listed.code !== 0) return undefined;
  return listed.stdout
    .toString("latin1")
    .split("\n")
    .filter((commit) => commit !== "");
}

/** Whether git fails to diff this commit (its output goes nowhere: only the exit code counts). */
async function cannotDiff(commit: string, options: RangeOptions): Promise<boolean> {
  const result = await runGitRaw(
    [
      ...rangeDiffArgs(options),
      "--output=/dev/null",
      "--no-walk",
      "--end-of-options",
      commit,
      "--",
    ],
    options,
  );
  return result.code !== 0;
}

/**
 * The lines each commit of the range adds, with the unchanged lines around them. A commit git
 * cannot diff (a blob missing from a damaged repository or a partial clone) stops `git log`:
 * it is listed as unreadable and the log goes on with the commits after it, as the history
 * scan reads past what it cannot read. A missing commit, or a range git cannot list, still
 * stops the scan with git's own line, as do more than MAX_UNREADABLE_IN_A_ROW such commits in
 * a row (a partial clone without blobs: nothing is worth reading on for).
 */
export async function* rangeFragments(options: RangeOptions): AsyncGenerator<Fragment> {
  let commit: GitProvenance | undefined;
  let isCut = false;
  const changes: ChangedFile[] = [];
  const parser = new DiffParser(
    (file) => {
      if (isCut || !isScannable(file, options)) return;
      changes.push(commit ? { file, git: commit } : { file });
    },
    // A file adding more is skipped as too large: only its size is kept.
    { maxAddedBytes: options.maxFileSize },
  );
  const blobs = new BlobHeads(options);
  const ready = () => changedFileFragments(changes.splice(0), blobs, options);
  const { onProgress } = options;
  let total: number | undefined;
  const counted = onProgress
    ? countCommits(options).then((count) => {
        total = count;
      })
    : undefined;
  /** Commits whose diff has begun; the last one is done once the next begins or the log ends. */
  let begun = 0;
  let bytes = 0;
  let lastReport = 0;
  const report = (done: number) => {
    if (onProgress && total !== undefined) {
      onProgress({ done, total, walkDone: true, bytes, commits: done, unit: "commits" });
    }
  };
  let args = rangeLogArgs(options.range, options);
  /** What the log reads on standard input: the commits left after one git could not diff. */
  let input: string | undefined;
  /** The range's commits, oldest first: listed only once git fails to diff one. */
  let walked: readonly string[] | undefined;
  /** Where in `walked` the current log started. */
  let runStart = 0;
  let inARow = 0;
  try {
    for (;;) {
      let shownInRun = 0;
      const log = gitOutputLines(args, options, ["log", options.range], input);
      let failure: unknown;
      try {
        for (;;) {
          let next: IteratorResult<string[]>;
          try {
            next = await log.next();
          } catch (error) {
            failure = error;
            break;
          }
          if (next.done) break;
          const lines = next.value;
          if (onProgress) {
            for (const line of lines) bytes += line.length + 1;
            const now = Date.now();
            if (now - lastReport >= 100) {
              lastReport = now;
              report(Math.max(begun - 1, 0));
            }
          }
          for (const line of lines) {
            if (!parser.inHunk && line.startsWith(HEADER)) {
              begun++;
              shownInRun++;
              parser.flush();
              commit = parseCommitHeader(line);
              isCut = options.shallowBoundary?.has(commit.commit) === true;
              // Diffed against nothing, it would report every key of its tree as its own.
              if (isCut) {
                options.onSkip({
                  path: "(range)",
                  wholeScan: true,
                  reason: "unreadable",
                  detail: `commit ${commit.commit.slice(0, 12)} is where this shallow clone's history is cut: what it changed is unknown (git fetch --deepen or --unshallow, then scan again)`,
                });
              }
            } else {
              parser.line(line);
            }
          }
          yield* ready();
        }
      } finally {
        await log.return(undefined);
      }
      // The files git wrote before it stopped are whole: git reads both sides of a file first.
      parser.flush();
      yield* ready();
      if (failure === undefined) break;
      if (!(failure instanceof GitError)) throw failure;
      walked ??= await listRange(options);
      if (walked === undefined) throw failure;
      // Git stopped inside the last commit it named, or before naming the next one.
      const shown = runStart + shownInRun;
      const previous = shownInRun > 0 ? walked[shown - 1] : undefined;
      const failedAt =
        previous !== undefined && (await cannotDiff(previous, options)) ? shown - 1 : shown;
      const failed = walked[failedAt];
      if (failed === undefined) throw failure;
      inARow = failedAt > runStart ? 1 : inARow + 1;
      if (inARow > MAX_UNREADABLE_IN_A_ROW) throw failure;
      if (failedAt === shown) begun++;
      options.onSkip({
        path: "(range)",
        wholeScan: true,
        reason: "unreadable",
        detail: `commit ${failed.slice(0, 12)}: git cannot read what it changed (${failure.message.replace(/^git log failed: /, "")}); the commits after it are read`,
      });
      runStart = failedAt + 1;
      const after = walked.slice(runStart);
      if (after.length === 0) break;
      commit = undefined;
      isCut = false;
      args = [...rangeDiffArgs(options), "--no-walk=unsorted", "--stdin"];
      input = `${after.join("\n")}\n`;
    }
    await counted;
    report(begun);
  } finally {
    blobs.close();
  }
}
