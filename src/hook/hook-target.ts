import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { GitError, RuntimeError } from "../errors.js";
import { type GitContext, gitFailure, runGit, runGitRaw } from "../git/run-git.js";
import { makeFoldersAt, reasonOf } from "../make-folders.js";
import { toPosix } from "../posix-path.js";

/** Where hooks live in a repository and whether it uses husky. */
export interface HookTarget {
  /** Top of the work tree: where git runs hooks, and where husky keeps `.husky/`. */
  readonly topLevel: string;
  /** Where git looks for hooks: core.hooksPath if set, else the repository's hooks folder. */
  readonly hooksDir: string;
  /** core.hooksPath, when set. */
  readonly hooksPath?: string;
  /** Where core.hooksPath is set (`local`, `global`, `system`, `worktree`, `command`). */
  readonly hooksPathScope?: string;
  /** `.husky/` exists, husky is a dependency, or core.hooksPath points into `.husky`. */
  readonly usesHusky: boolean;
  /** core.hooksPath is husky's generated folder: husky hooks are active in this clone. */
  readonly huskyActive: boolean;
  /**
   * The folder of husky's hooks: the one core.hooksPath makes active (`frontend/.husky`, or
   * `.config/husky` as husky's docs show), else `.husky` at the top.
   */
  readonly huskyDir: string;
  /** keywarden binaries in node_modules between the current directory and the top level. */
  readonly localBins: readonly string[];
}

const HUSKY_HOOKS_PATH = /(^|[\\/])\.husky([\\/]_)?[\\/]?$/;

/**
 * The husky folder whose hooks run, when core.hooksPath is husky's: its `_` folder (husky 9
 * writes `_/h` there), a folder holding `_/husky.sh` (husky 8), or one named `.husky`.
 */
function huskyDirOf(hooksDir: string, hooksPath: string): string | undefined {
  if (basename(hooksDir) === "_" && existsSync(join(hooksDir, "h"))) return dirname(hooksDir);
  if (existsSync(join(hooksDir, "_", "husky.sh"))) return hooksDir;
  if (!HUSKY_HOOKS_PATH.test(hooksPath)) return undefined;
  return basename(hooksDir) === "_" ? dirname(hooksDir) : hooksDir;
}

function dependsOnHusky(topLevel: string): boolean {
  try {
    const pkg: Record<string, unknown> = JSON.parse(
      readFileSync(join(topLevel, "package.json"), "utf8"),
    );
    return ["dependencies", "devDependencies"].some((field) => {
      const deps = pkg[field];
      return typeof deps === "object" && deps !== null && "husky" in deps;
    });
  } catch {
    return false;
  }
}

/** `./<path>/node_modules/.bin/keywarden` for each package folder from `cwd` up to the top. */
function findLocalBins(cwd: string, topLevel: string): string[] {
  const bins: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    const bin = join(dir, "node_modules", ".bin", "keywarden");
    if (existsSync(bin)) {
      const path = toPosix(relative(topLevel, bin));
      bins.push(`./${path}`);
    }
    if (dir === topLevel || !dir.startsWith(topLevel)) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return bins;
}

export async function findHookTarget(context: GitContext): Promise<HookTarget> {
  const top = await runGitRaw(["rev-parse", "--show-toplevel"], context);
  if (top.code !== 0) {
    if (/must be run in a work tree/i.test(top.stderr)) {
      throw new GitError(
        `hooks need a work tree: ${context.cwd} is inside a bare repository or a .git folder`,
        "git rev-parse --show-toplevel",
      );
    }
    // Not a repository, or one git refuses (another user's, a broken config): git's reason.
    throw gitFailure(["rev-parse", "--show-toplevel"], top.stderr, top.code, context.cwd);
  }
  const topLevel = top.stdout.toString("utf8").trim();
  const atTop = { ...context, cwd: topLevel };
  const [gitPath, hooksPathResult] = await Promise.all([
    runGit(["rev-parse", "--git-path", "hooks"], atTop),
    runGitRaw(["config", "--show-scope", "--get", "core.hooksPath"], atTop),
  ]);
  // "global\t~/.githooks": the scope, a tab, the value.
  const [hooksPathScope, hooksPath = ""] =
    hooksPathResult.code === 0 ? hooksPathResult.stdout.toString("utf8").trim().split("\t", 2) : [];
  // A relative hooks path is relative to where hooks run: the top of the work tree.
  const hooksLocation = gitPath.trim();
  const hooksDir = isAbsolute(hooksLocation) ? hooksLocation : resolve(topLevel, hooksLocation);
  const activeHuskyDir = hooksPath ? huskyDirOf(hooksDir, hooksPath) : undefined;
  const huskyActive = activeHuskyDir !== undefined;
  return {
    topLevel,
    hooksDir,
    ...(hooksPath ? { hooksPath, hooksPathScope } : {}),
    usesHusky: existsSync(join(topLevel, ".husky")) || dependsOnHusky(topLevel) || huskyActive,
    huskyActive,
    huskyDir: activeHuskyDir ?? join(topLevel, ".husky"),
    localBins: findLocalBins(context.cwd, topLevel),
  };
}

/** Makes a hooks folder and its parents, or says in one line why it cannot. */
export function makeHooksFolder(dir: string): void {
  try {
    makeFoldersAt(dir);
  } catch (error) {
    throw new RuntimeError(`cannot create the hooks folder ${dir} (${reasonOf(error)})`);
  }
}
