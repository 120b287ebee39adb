import { chmodSync, existsSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
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
import { readHook } from "./read-hook.js";

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
  const existing = readHook(hook, shown(target, hook), "install");
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

/**
 * Takes keywarden out of the hook that holds its block: `pre-commit`, or `pre-commit.legacy`,
 * where `pre-commit install` (the framework) moves a hook it finds and keeps running it. The
 * hook keywarden chained to keeps its name when the framework moves keywarden's, and comes back
 * where keywarden's hook was. With no block anywhere and no pre-commit, a kept hook comes back
 * too (keywarden's was deleted by hand).
 */
export function uninstallGitHook(target: HookTarget): string[] {
  const chained = join(target.hooksDir, `pre-commit${CHAINED_SUFFIX}`);
  const messages: string[] = [];
  let found = false;
  for (const name of ["pre-commit", "pre-commit.legacy"]) {
    const hook = join(target.hooksDir, name);
    const text = readHook(hook, shown(target, hook), "uninstall");
    if (text === undefined || !hasKeywardenBlock(text)) continue;
    found = true;
    messages.push(removeFrom(target, hook, text, chained));
  }
  const hook = join(target.hooksDir, "pre-commit");
  if (!found && !existsSync(hook) && existsSync(chained)) {
    renameSync(chained, hook);
    messages.push(`Restored the previous pre-commit hook: ${shown(target, hook)}`);
  }
  return messages;
}

/** Takes keywarden's block out of `hook`, whose text is `text`, and puts back the chained hook. */
function removeFrom(target: HookTarget, hook: string, text: string, chained: string): string {
  const rest = removeKeywardenBlock(text);
  const isOnlyKeywarden = rest === removeKeywardenBlock(gitHookScript());
  const hasChained = existsSync(chained);
  if (isOnlyKeywarden) {
    unlinkSync(hook);
    if (!hasChained) return `Removed the keywarden pre-commit hook: ${shown(target, hook)}`;
    renameSync(chained, hook);
    return `Removed the keywarden hook and restored the previous one: ${shown(target, hook)}`;
  }
  if (!hasChained) {
    // Lines a person added to the hook since install stay, where they run.
    writeFileSync(hook, rest);
    return `Removed keywarden staged from ${shown(target, hook)}; kept the lines added to it since install.`;
  }
  // Lines were added to keywarden's hook, which ran the previous hook first. The previous hook
  // comes back as it was, byte for byte and with its mode, as the one git runs; what was added
  // is kept beside it (not run), since it cannot be joined to a hook that may be any program.
  const kept = unusedName(`${hook}.keywarden-edited`);
  renameSync(hook, kept);
  writeFileSync(kept, rest);
  renameSync(chained, hook);
  const where = shown(target, hook);
  return `Removed the keywarden hook and restored the previous one: ${where}; the lines added to keywarden's hook since install are kept, not run, in ${shown(target, kept)}: copy them into ${where} to keep running them.`;
}

/** `path`, or `path.1`, `path.2`... : the first one nothing is at. */
function unusedName(path: string): string {
  let name = path;
  for (let n = 1; existsSync(name); n++) name = `${path}.${n}`;
  return name;
}
