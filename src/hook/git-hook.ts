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
import {
  CHAINED_SUFFIX,
  gitHookScript,
  hasKeywardenBlock,
  removeKeywardenBlock,
  runKeywardenBlock,
  withKeywardenBlock,
} from "./hook-script.js";
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
  // An update replaces only the keywarden block: lines a person added to the hook stay.
  const block = runKeywardenBlock(target.localBins);
  const script = isUpdate ? withKeywardenBlock(existing, block) : gitHookScript(target.localBins);
  writeFileSync(hook, script, { mode: 0o755 });
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
  return [...uninstallFrom(target, "pre-commit"), ...uninstallFrom(target, "pre-commit.legacy")];
}

/**
 * Takes keywarden out of one hook file. `pre-commit install` (the framework) moves a hook it
 * finds to pre-commit.legacy and keeps running it there, so keywarden is looked for there too.
 */
function uninstallFrom(target: HookTarget, name: string): string[] {
  const hook = join(target.hooksDir, name);
  // The hook keywarden chained to keeps its name when the framework moves keywarden's.
  const chained = join(target.hooksDir, `pre-commit${CHAINED_SUFFIX}`);
  const text = existsSync(hook) ? readFileSync(hook, "utf8") : undefined;
  if (text === undefined || !hasKeywardenBlock(text)) {
    if (text === undefined && existsSync(chained)) {
      renameSync(chained, hook);
      return [`Restored the previous ${name} hook: ${shown(target, hook)}`];
    }
    return [];
  }
  // Lines a person added to the hook since install stay, and so does the hook they chain to.
  const rest = removeKeywardenBlock(text);
  if (rest !== removeKeywardenBlock(gitHookScript())) {
    writeFileSync(hook, rest);
    return [
      `Removed keywarden staged from ${shown(target, hook)}; kept the lines added to it since install.`,
    ];
  }
  unlinkSync(hook);
  if (existsSync(chained)) {
    renameSync(chained, hook);
    return [`Removed the keywarden hook and restored the previous one: ${shown(target, hook)}`];
  }
  return [`Removed the keywarden pre-commit hook: ${shown(target, hook)}`];
}
