import { COMMIT_FORMAT, HEADER, parseCommitHeader } from "../git/commit-log.js";
import { DiffParser } from "../git/diff-parser.js";
import { gitOutputLines } from "../git/run-git.js";
import type { Fragment, GitProvenance } from "../types.js";
import type { GitSourceOptions } from "./git-source-options.js";
import { ADDED_LINES_DIFF_OPTIONS, ADDED_LINES_FLAGS, addedLinesFragment } from "./staged-diff.js";

/**
 * The lines each commit of a range (`A..B`, what a pull request or a push brings) adds, one
 * Fragment per commit and file, attributed to that commit. One streamed `git log -p -U0`:
 * renames and copies count only their new lines; merges add nothing of their own (their
 * content comes from commits that are in the range too).
 */
export interface RangeOptions extends GitSourceOptions {
  readonly range: string;
}

export function rangeLogArgs(range: string): string[] {
  return [
    ...ADDED_LINES_DIFF_OPTIONS,
    "log",
    "-p",
    "--reverse",
    "--topo-order",
    "--no-show-signature",
    COMMIT_FORMAT,
    ...ADDED_LINES_FLAGS,
    "--end-of-options",
    range,
  ];
}

export async function* rangeFragments(options: RangeOptions): AsyncGenerator<Fragment> {
  const args = rangeLogArgs(options.range);
  let commit: GitProvenance | undefined;
  const ready: Fragment[] = [];
  const parser = new DiffParser((file) => {
    const fragment = addedLinesFragment(file, options, options.onSkip, commit);
    if (fragment) ready.push(fragment);
  });
  for await (const lines of gitOutputLines(args, options, ["log", options.range])) {
    for (const line of lines) {
      if (!parser.inHunk && line.startsWith(HEADER)) {
        parser.flush();
        commit = parseCommitHeader(line);
      } else {
        parser.line(line);
      }
    }
    yield* ready.splice(0);
  }
  parser.flush();
  yield* ready.splice(0);
}
