import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { runGit } from "../git/run-git.js";
import type { Fragment } from "../types.js";
import type { GitSourceOptions } from "./git-source-options.js";
import { stagedFragments } from "./staged-diff.js";

/**
 * `keywarden staged PATH...`, as the pre-commit framework runs it (it names the files to
 * check): the staged lines of the paths named and, for a path with nothing staged in it, the
 * path as it is in the working tree, whole. That second half is what `pre-commit run
 * --all-files` and `--files` ask for, as CI runs them: with nothing staged, a staged scan
 * alone would scan nothing and pass.
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
  const inside = relative(top, realPath(resolve(cwd, path)));
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  return inside.split(sep).join("/");
}

/** `file` and the folders it is in, innermost last: `a/b/c` → `a/b/c`, `a/b`, `a`, ``. */
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
  const unstaged = [...byRepoPath]
    .filter(([inRepo]) => !staged.has(inRepo))
    .flatMap(([, given]) => given);
  const whole = [...unstaged, ...outside];
  if (whole.length > 0) yield* options.scanWhole(whole);
}
