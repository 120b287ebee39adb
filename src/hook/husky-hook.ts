import { chmodSync, unlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { toPosix } from "../posix-path.js";
import {
  hasKeywardenBlock,
  removeKeywardenBlock,
  runKeywardenBlock,
  withKeywardenBlock,
} from "./hook-script.js";
import { type HookTarget, makeHooksFolder } from "./hook-target.js";
import { readHook } from "./read-hook.js";

/** `.husky/pre-commit`: the keywarden block goes after what is there (which keeps running). */

/** The husky hook's path as the user knows it: from the top of the work tree. */
function shownPath(target: HookTarget, hook: string): string {
  return toPosix(relative(target.topLevel, hook));
}

export function installHuskyHook(target: HookTarget): string[] {
  const dir = target.huskyDir;
  const hook = join(dir, "pre-commit");
  makeHooksFolder(dir);
  const existing = readHook(hook, shownPath(target, hook), "install");
  const existed = existing !== undefined;
  const before = existing ?? "";
  const updating = hasKeywardenBlock(before);
  writeFileSync(hook, withKeywardenBlock(before, runKeywardenBlock(target.localBins)));
  if (!existed) chmodSync(hook, 0o755);
  const messages = [
    `${updating ? "Updated" : "Added"} keywarden staged in ${shownPath(target, hook)}${existed && !updating ? " (after the commands already there)" : ""}.`,
  ];
  if (!target.huskyActive) {
    messages.push(
      "husky is not active in this clone yet (core.hooksPath is not .husky/_): run npx husky, or npm install if its prepare script runs husky.",
    );
  }
  return messages;
}

export function uninstallHuskyHook(target: HookTarget): string[] {
  const hook = join(target.huskyDir, "pre-commit");
  const before = readHook(hook, shownPath(target, hook), "uninstall");
  if (before === undefined || !hasKeywardenBlock(before)) return [];
  const after = removeKeywardenBlock(before);
  // Empty: install created it (or found it empty). A hook of blank lines stays, as it was.
  if (after === "") {
    unlinkSync(hook);
    return [`Removed ${shownPath(target, hook)} (it only ran keywarden).`];
  }
  writeFileSync(hook, after);
  return [`Removed keywarden staged from ${shownPath(target, hook)}.`];
}
