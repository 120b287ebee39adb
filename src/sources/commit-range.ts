import { BlobHeads } from "../git/blob-heads.js";
import { COMMIT_HEADER_ARGS, HEADER, parseCommitHeader } from "../git/commit-header.js";
import { DiffParser } from "../git/diff-parser.js";
import { gitOutputLines } from "../git/run-git.js";
import type { Fragment, GitProvenance } from "../types.js";
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
  try {
    for await (const lines of gitOutputLines(args, options, ["log", options.range])) {
      for (const line of lines) {
        if (!parser.inHunk && line.startsWith(HEADER)) {
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
  } finally {
    blobs.close();
  }
}
