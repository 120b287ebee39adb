import type { GitContext } from "../git/run-git.js";
import { installGitHook, uninstallGitHook } from "./git-hook.js";
import { findHookTarget } from "./hook-target.js";
import { installHuskyHook, uninstallHuskyHook } from "./husky-hook.js";
import {
  installPreCommitConfig,
  type KeywardenRelease,
  uninstallPreCommitConfig,
} from "./pre-commit-config.js";

export type HookMethod = "husky" | "git" | "pre-commit";

/**
 * `keywarden hook install`: husky when the repository uses it (or when asked), else a plain
 * git hook; `pre-commit` writes the pre-commit framework's config. Returns lines to print.
 */
export async function installHook(
  method: HookMethod | undefined,
  context: GitContext,
  release: KeywardenRelease,
): Promise<string[]> {
  const target = await findHookTarget(context);
  const chosen = method ?? (target.usesHusky ? "husky" : "git");
  if (chosen === "pre-commit") return installPreCommitConfig(target, release);
  if (chosen === "husky") return installHuskyHook(target);
  return installGitHook(target);
}

/**
 * Takes out what install put in. Without a method: whichever keywarden hooks are found, the
 * pre-commit framework's entry, the husky hook and the git hook.
 */
export async function uninstallHook(
  method: HookMethod | undefined,
  context: GitContext,
): Promise<string[]> {
  const target = await findHookTarget(context);
  const messages: string[] = [];
  if (method === undefined || method === "pre-commit")
    messages.push(...uninstallPreCommitConfig(target));
  if (method === undefined || method === "husky") messages.push(...uninstallHuskyHook(target));
  // With husky active the hooks folder is husky's own (.husky/_): only --git looks there.
  if (method === "git" || (method === undefined && !target.huskyActive))
    messages.push(...uninstallGitHook(target));
  return messages.length > 0 ? messages : ["No keywarden hook found: nothing to remove."];
}
