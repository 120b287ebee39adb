import { BlobHeads } from "../git/blob-heads.js";
import { COMMIT_HEADER_ARGS, HEADER, parseCommitHeader } from "../git/commit-header.js";
import { DiffParser } from "../git/diff-parser.js";
import { gitOutputLines, runGit } from "../git/run-git.js";
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

export function rangeLogArgs(
  range: string,
  options: Pick<AddedLinesOptions, "contextAround"> = {},
): string[] {
  return [
    ...ADDED_LINES_DIFF_OPTIONS,
    "log",
    "-p",
    "--cc",
    "--root",
    "--reverse",
    "--topo-order",
    "--no-show-signature",
    ...COMMIT_HEADER_ARGS,
    ...ADDED_LINES_FLAGS,
    contextFlag(options.contextAround !== undefined),
    "--end-of-options",
    range,
    "--",
  ];
}

export async function* rangeFragments(options: RangeOptions): AsyncGenerator<Fragment> {
  const args = rangeLogArgs(options.range, options);
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
  try {
    for await (const lines of gitOutputLines(args, options, ["log", options.range])) {
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
    parser.flush();
    yield* ready();
    await counted;
    report(begun);
  } finally {
    blobs.close();
  }
}
