import { realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { type GitContext, runGit, runGitRaw } from "../git/run-git.js";
import { pathExists } from "../path-exists.js";
import { pathInside } from "../posix-path.js";
import type { Fragment } from "../types.js";
import type { GitSourceOptions } from "./git-source-options.js";
import { stagedFragments } from "./staged-diff.js";

/**
 * `keywarden staged PATH...`, as the pre-commit framework runs it (it names the files to
 * check): the staged lines of the paths named and, for a path with nothing staged in it, the
 * path as it is in the working tree, whole. That second half is what `pre-commit run
 * --all-files` and `--files` ask for, as CI runs them: with nothing staged, a staged scan
 * alone would scan nothing and pass. Inside a commit only staged lines count.
 */
export interface StagedPathsOptions extends GitSourceOptions {
  /** As given, relative to cwd. */
  readonly paths: readonly string[];
  /** Scans working-tree paths (relative to cwd) whole, as `keywarden scan` does. */
  readonly scanWhole: (paths: readonly string[]) => AsyncIterable<Fragment>;
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // not there: it names nothing staged, and scanWhole says so
  }
}

/** `path` (relative to cwd) from the repository's top, in git's POSIX form; undefined outside. */
function fromTop(top: string, cwd: string, path: string): string | undefined {
  // The folder's real path, not the file's: a staged symbolic link is a file of its own.
  const absolute = resolve(cwd, path);
  return pathInside(top, join(realPath(dirname(absolute)), basename(absolute)));
}

/** `file` and the folders it is in, from the innermost: `a/b/c` → `a/b/c`, `a/b`, `a`, ``. */
function* selfAndFolders(file: string): Generator<string> {
  yield file;
  for (let end = file.lastIndexOf("/"); end > 0; end = file.lastIndexOf("/", end - 1)) {
    yield file.slice(0, end);
  }
  yield "";
}

export async function* stagedPathFragments(options: StagedPathsOptions): AsyncGenerator<Fragment> {
  const top = (await runGit(["rev-parse", "--show-toplevel"], options)).trimEnd();
  const cwd = realPath(options.cwd);
  /** The paths given, by their repository path (several may name one). */
  const byRepoPath = new Map<string, string[]>();
  const outside: string[] = [];
  for (const path of options.paths) {
    const inRepo = fromTop(top, cwd, path);
    if (inRepo === undefined) outside.push(path);
    else byRepoPath.set(inRepo, [...(byRepoPath.get(inRepo) ?? []), path]);
  }
  const staged = new Set<string>();
  const isListed = (file: string) => {
    let listed = false;
    for (const folder of selfAndFolders(file)) {
      if (!byRepoPath.has(folder)) continue;
      staged.add(folder);
      listed = true;
    }
    return listed;
  };
  yield* stagedFragments({ ...options, isListed });
  // Inside a commit (git sets GIT_INDEX_FILE for its hooks) a path with nothing staged adds
  // nothing: the framework names a merge's resolved files although the merge adds no line.
  if (options.env.GIT_INDEX_FILE !== undefined) return;
  const unstaged = [...byRepoPath].filter(([inRepo]) => !staged.has(inRepo));
  const gone = await inHeadOnly(
    unstaged.map(([inRepo]) => inRepo),
    { ...options, cwd: top },
  );
  const whole = [
    ...unstaged.filter(([inRepo]) => !gone.has(inRepo)).flatMap(([, given]) => given),
    ...outside,
  ];
  if (whole.length > 0) yield* options.scanWhole(whole);
}

/**
 * Of these repository paths, those missing from the working tree that HEAD has: the old name
 * of a staged rename, say, which has nothing to scan. Any other missing path is the whole
 * scan's to report.
 */
async function inHeadOnly(paths: readonly string[], context: GitContext): Promise<Set<string>> {
  const missing = paths.filter((path) => !pathExists(join(context.cwd, path)));
  if (missing.length === 0) return new Set();
  const literal = missing.map((path) => `:(literal)${path}`);
  const result = await runGitRaw(
    ["ls-tree", "-z", "--name-only", "HEAD", "--", ...literal],
    context,
  );
  if (result.code !== 0) return new Set();
  return new Set(result.stdout.toString("utf8").split("\0").filter(Boolean));
}
