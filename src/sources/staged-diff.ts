import { type DiffFile, DiffParser } from "../git/diff-parser.js";
import { gitOutputLines } from "../git/run-git.js";
import type { Fragment, SkipNotice } from "../types.js";
import type { GitSourceOptions } from "./git-source-options.js";
import { areLfsPointerLines } from "./lfs-pointer.js";

/**
 * Options that make `git diff` output parseable whatever the user's config says (prefixes,
 * external diff tools, textconv filters, relative paths) and keep only what a commit adds:
 * renames and copies are diffed against their source, so only their new lines count;
 * deletions and submodule pointer changes have nothing to scan.
 */
export const ADDED_LINES_DIFF_OPTIONS = [
  "-c",
  "diff.noprefix=false",
  "-c",
  "diff.mnemonicPrefix=false",
] as const;

export const ADDED_LINES_FLAGS = [
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--no-relative",
  "-U0",
  "--find-renames",
  "--diff-filter=ACMRT",
  "--ignore-submodules=all",
  "--src-prefix=a/",
  "--dst-prefix=b/",
] as const;

/**
 * Turns one parsed file of a diff into a Fragment of its added lines, or a skip notice.
 * Shared by the staged and range sources.
 */
export function addedLinesFragment(
  file: DiffFile,
  options: Pick<GitSourceOptions, "maxFileSize" | "isExcluded">,
  skip: (notice: SkipNotice) => void,
  git?: Fragment["git"],
): Fragment | undefined {
  const where = git ? ` (commit ${git.commit.slice(0, 12)})` : "";
  if (file.mode === "160000" || file.status === "deleted") return undefined;
  if (options.isExcluded?.(file.path)) return undefined;
  if (file.isBinary) {
    skip({ path: file.path, reason: "binary", detail: `binary content${where}` });
    return undefined;
  }
  if (file.addedLines.length === 0) return undefined;
  if (areLfsPointerLines(file.addedLines)) {
    skip({ path: file.path, reason: "lfs-pointer", detail: `Git LFS pointer${where}` });
    return undefined;
  }
  const text = file.addedLines.join("\n");
  const size = Buffer.byteLength(text, "utf8");
  if (size > options.maxFileSize) {
    skip({
      path: file.path,
      reason: "too-large",
      detail: `${size} bytes added, over the ${options.maxFileSize}-byte limit${where}`,
    });
    return undefined;
  }
  return {
    text,
    path: file.path,
    startLine: file.lineNumbers[0] ?? 1,
    lineNumbers: file.lineNumbers,
    ...(git ? { git } : {}),
  };
}

/**
 * The lines a commit would add: `git diff --cached` against HEAD (or, on an unborn branch,
 * against nothing: git then shows every staged file whole). One Fragment per file, each text
 * line mapped to its line number in the new file. Honours GIT_INDEX_FILE, so inside a
 * pre-commit hook of `git commit -a` or `git commit <paths>` it sees what will be committed.
 */
export async function* stagedFragments(options: GitSourceOptions): AsyncGenerator<Fragment> {
  const args = [...ADDED_LINES_DIFF_OPTIONS, "diff", "--cached", ...ADDED_LINES_FLAGS];
  const ready: Fragment[] = [];
  const parser = new DiffParser((file) => {
    const fragment = addedLinesFragment(file, options, options.onSkip);
    if (fragment) ready.push(fragment);
  });
  for await (const lines of gitOutputLines(args, options, ["diff", "--cached"])) {
    for (const line of lines) parser.line(line);
    yield* ready.splice(0);
  }
  parser.flush();
  yield* ready.splice(0);
}
