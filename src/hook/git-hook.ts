import {
  chmodSync,
  existsSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { UsageError } from "../errors.js";
import { CHAINED_SUFFIX, gitHookScript, hasKeywardenBlock } from "./hook-script.js";
import { type HookTarget, makeHooksFolder } from "./hook-target.js";

/**
 * A plain git pre-commit hook in the hooks folder (core.hooksPath honoured). An existing hook is
 * never overwritten: it is kept beside ours as `pre-commit.pre-keywarden`, runs first, and is
 * put back by uninstall.
 */

function shown(target: HookTarget, path: string): string {
  const rel = relative(target.topLevel, path);
  return rel.startsWith("..") ? path : rel;
}

export function installGitHook(target: HookTarget): string[] {
  if (target.huskyActive) {
    throw new UsageError(
      `core.hooksPath is husky's folder (${target.hooksPath}): husky rewrites it; use keywarden hook install --husky`,
    );
  }
  if (target.hooksPathScope === "global" || target.hooksPathScope === "system") {
    throw new UsageError(
      `core.hooksPath is set in the ${target.hooksPathScope} git config (${target.hooksPath}): a hook there runs in every repository on this machine; set one for this repository first (git config core.hooksPath .githooks), or use --husky or --pre-commit`,
    );
  }
  makeHooksFolder(target.hooksDir);
  const hook = join(target.hooksDir, "pre-commit");
  const chained = hook + CHAINED_SUFFIX;
  const existing = existsSync(hook) ? readFileSync(hook, "utf8") : undefined;
  const isUpdate = existing !== undefined && hasKeywardenBlock(existing);
  const isChaining = existing !== undefined && !isUpdate;
  if (isChaining) {
    if (existsSync(chained)) {
      throw new UsageError(
        `${shown(target, chained)} already exists: move it away, then run keywarden hook install again`,
      );
    }
    renameSync(hook, chained);
  }
  writeFileSync(hook, gitHookScript(target.localBins), { mode: 0o755 });
  // The mode above applies only to a new file, and through the umask.
  chmodSync(hook, 0o755);
  if (isUpdate) return [`Updated the keywarden pre-commit hook: ${shown(target, hook)}`];
  return [
    `Installed the keywarden pre-commit hook: ${shown(target, hook)}`,
    ...(isChaining
      ? [
          `Kept the existing pre-commit hook as ${shown(target, chained)}: it still runs, before keywarden.`,
        ]
      : []),
  ];
}

export function uninstallGitHook(target: HookTarget): string[] {
  const hook = join(target.hooksDir, "pre-commit");
  const chained = hook + CHAINED_SUFFIX;
  const ours = existsSync(hook) && hasKeywardenBlock(readFileSync(hook, "utf8"));
  if (!ours) {
    if (!existsSync(hook) && existsSync(chained)) {
      renameSync(chained, hook);
      return [`Restored the previous pre-commit hook: ${shown(target, hook)}`];
    }
    return [];
  }
  unlinkSync(hook);
  if (existsSync(chained)) {
    renameSync(chained, hook);
    return [`Removed the keywarden hook and restored the previous one: ${shown(target, hook)}`];
  }
  return [`Removed the keywarden pre-commit hook: ${shown(target, hook)}`];
}
