import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isSeq, parseDocument, type YAMLMap } from "yaml";
import { ConfigError } from "../errors.js";
import type { HookTarget } from "./hook-target.js";

/**
 * The pre-commit framework (https://pre-commit.com) entry for keywarden, written into the
 * repository's `.pre-commit-config.yaml` (comments and other entries are kept). The hook itself
 * is declared by keywarden's own `.pre-commit-hooks.yaml`.
 */

export const HOOK_ID = "keywarden";
const CONFIG_FILE = ".pre-commit-config.yaml";

export interface KeywardenRelease {
  /** Repository URL the pre-commit framework clones. */
  readonly repository: string;
  readonly version: string;
}

export function preCommitSnippet(release: KeywardenRelease): string {
  return [
    "repos:",
    `  - repo: ${release.repository}`,
    `    rev: v${release.version}`,
    "    hooks:",
    `      - id: ${HOOK_ID}`,
    "",
  ].join("\n");
}

function hooksOf(entry: unknown): unknown[] {
  if (!isMap(entry)) return [];
  const hooks = entry.get("hooks");
  return isSeq(hooks) ? hooks.items : [];
}

function isKeywardenHook(hook: unknown): boolean {
  return isMap(hook) && hook.get("id") === HOOK_ID;
}

function readConfig(path: string) {
  const document = parseDocument(readFileSync(path, "utf8"));
  if (document.errors.length > 0) {
    throw new ConfigError(`${CONFIG_FILE}: ${document.errors[0]!.message.split("\n")[0]}`, path);
  }
  return document;
}

export function installPreCommitConfig(target: HookTarget, release: KeywardenRelease): string[] {
  const path = join(target.topLevel, CONFIG_FILE);
  const next = "Then run pre-commit install (once per clone) to turn the hooks on.";
  if (!existsSync(path)) {
    writeFileSync(path, preCommitSnippet(release));
    return [`Created ${CONFIG_FILE}:`, "", preCommitSnippet(release), next];
  }
  const document = readConfig(path);
  const found = document.get("repos");
  if (found !== undefined && found !== null && !isSeq(found)) {
    throw new ConfigError(`${CONFIG_FILE}: "repos" is not a list`, path);
  }
  if (isSeq(found) && found.items.some((entry) => hooksOf(entry).some(isKeywardenHook))) {
    return [`${CONFIG_FILE} already runs the keywarden hook.`];
  }
  const repos = isSeq(found) ? found : document.createNode([]);
  if (repos !== found) document.set("repos", repos);
  repos.add(
    document.createNode({
      repo: release.repository,
      rev: `v${release.version}`,
      hooks: [{ id: HOOK_ID }],
    }),
  );
  writeFileSync(path, document.toString());
  return [`Added the keywarden hook to ${CONFIG_FILE}:`, "", preCommitSnippet(release), next];
}

export function uninstallPreCommitConfig(target: HookTarget): string[] {
  const path = join(target.topLevel, CONFIG_FILE);
  if (!existsSync(path)) return [];
  const document = readConfig(path);
  const repos = document.get("repos");
  if (!isSeq(repos)) return [];
  let removed = false;
  repos.items = repos.items.filter((entry) => {
    const hooks = hooksOf(entry);
    if (!hooks.some(isKeywardenHook)) return true;
    removed = true;
    const rest = hooks.filter((hook) => !isKeywardenHook(hook));
    if (rest.length === 0) return false;
    const seq = (entry as YAMLMap).get("hooks");
    if (isSeq(seq)) seq.items = rest;
    return true;
  });
  if (!removed) return [];
  writeFileSync(path, document.toString());
  return [`Removed the keywarden hook from ${CONFIG_FILE}.`];
}
