import { existsSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type ParsedNode,
  parseDocument,
  type YAMLSeq,
} from "yaml";
import { ConfigError } from "../errors.js";
import { readRegularFile } from "../read-regular-file.js";
import type { HookTarget } from "./hook-target.js";

/**
 * The pre-commit framework (https://pre-commit.com) entry for keywarden, in the repository's
 * `.pre-commit-config.yaml`. The file is edited as text, never re-serialised (that would redo
 * the user's indentation, comments and flow lists): install adds the entry's text and nothing
 * else, uninstall takes exactly that text out, so the file comes back byte for byte. Every edit
 * is checked by parsing its result. The hook itself is declared by keywarden's own
 * `.pre-commit-hooks.yaml`.
 */

export const HOOK_ID = "keywarden";
const CONFIG_FILE = ".pre-commit-config.yaml";
/** Heads a config install created: uninstall then deletes it, rather than leave `repos:` behind. */
const CREATED_HEADER = "# Created by keywarden hook install.\n";

export interface KeywardenRelease {
  /** Repository URL the pre-commit framework clones. */
  readonly repository: string;
  readonly version: string;
}

/** The entry as lines of a block list, its dash `indent` columns in. */
function entryLines(release: KeywardenRelease, indent: number): string {
  const pad = " ".repeat(indent);
  return [
    `${pad}- repo: ${release.repository}`,
    `${pad}  rev: v${release.version}`,
    `${pad}  hooks:`,
    `${pad}    - id: ${HOOK_ID}`,
    "",
  ].join("\n");
}

/** The entry for a flow list (`repos: [...]`), which takes no block lines. */
function flowEntry(release: KeywardenRelease): string {
  return `{repo: ${release.repository}, rev: v${release.version}, hooks: [{id: ${HOOK_ID}}]}`;
}

export function preCommitSnippet(release: KeywardenRelease): string {
  return `repos:\n${entryLines(release, 2)}`;
}

function hooksOf(entry: unknown): YAMLSeq.Parsed | undefined {
  if (!isMap(entry)) return undefined;
  const hooks = entry.get("hooks");
  return isSeq(hooks) ? (hooks as YAMLSeq.Parsed) : undefined;
}

function isKeywardenHook(hook: unknown): boolean {
  return isMap(hook) && hook.get("id") === HOOK_ID;
}

function isKeywardenEntry(entry: unknown): boolean {
  return hooksOf(entry)?.items.some(isKeywardenHook) ?? false;
}

function readConfig(text: string, path: string): Document.Parsed {
  // Without prettyErrors the message is one line, with no "at line 2, column 1:" left hanging
  // before a code frame; the line is said as keywarden's own configs say it.
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const { line } = lineCounter.linePos(error.pos[0]);
    throw new ConfigError(`${CONFIG_FILE}:${line}: not valid YAML: ${error.message}`, path);
  }
  return document;
}

interface ReposList {
  /** Where the `repos` key starts in the text. */
  readonly keyStart: number;
  readonly list: YAMLSeq.Parsed;
}

/** The `repos` list; undefined when there is none yet (an empty file, say). */
function findRepos(document: Document.Parsed, path: string): ReposList | undefined {
  const top = document.contents;
  if (top === null) return undefined;
  if (!isMap(top)) {
    throw new ConfigError(`${CONFIG_FILE}: the top level is not a mapping (repos: ...)`, path);
  }
  const pair = top.items.find((item) => isScalar(item.key) && item.key.value === "repos");
  if (pair === undefined) return undefined;
  if (!isSeq(pair.value)) throw new ConfigError(`${CONFIG_FILE}: "repos" is not a list`, path);
  return { keyStart: pair.key.range[0], list: pair.value };
}

/** The config as plain data, `{}` for an empty file. */
function plain(document: Document): Record<string, unknown> {
  return document.toJS() ?? {};
}

/** True when `text` is a config holding exactly `expected`: an edit changed nothing else. */
function parsesTo(text: string, expected: Record<string, unknown>): boolean {
  const document = parseDocument(text);
  return document.errors.length === 0 && isDeepStrictEqual(plain(document), expected);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The start of the line after the one `offset` ends on, or the end of the text. */
function nextLineStart(text: string, offset: number): number {
  if (offset === 0 || text[offset - 1] === "\n") return offset;
  return text.indexOf("\n", offset) + 1 || text.length;
}

/**
 * `text` with `lines` (newline-ended) inserted at line start `at`. At the end of a text without
 * a final newline they go on a new line and the text stays without one, so that withoutLines
 * can give back the exact text.
 */
function withLines(text: string, at: number, lines: string): string {
  if (at > 0 && text[at - 1] !== "\n") return `${text}\n${lines.slice(0, -1)}`;
  return text.slice(0, at) + lines + text.slice(at);
}

/** withLines undone: `text` without its lines from `start` to `end`. */
function withoutLines(text: string, start: number, end: number): string {
  const isLastLine = end === text.length && !text.endsWith("\n") && start > 0;
  return text.slice(0, isLastLine ? start - 1 : start) + text.slice(end);
}

/** `text` with `entry` before the closing bracket of a flow list: `[a]` → `[a, {…}]`. */
function withFlowEntry(text: string, list: YAMLSeq.Parsed, entry: string): string {
  const at = text.slice(0, list.range[1] - 1).trimEnd().length;
  const last = text[at - 1];
  // After a trailing comma (`[a,]`) ours takes one too: taking ours out leaves the comma there.
  const added = last === "[" ? entry : last === "," ? ` ${entry},` : `, ${entry}`;
  return text.slice(0, at) + added + text.slice(at);
}

/** `text` with the entry at the end of `repos`, or of the file when it has no `repos` yet. */
function withEntry(text: string, repos: ReposList | undefined, release: KeywardenRelease): string {
  if (repos === undefined) return withLines(text, text.length, preCommitSnippet(release));
  const { list } = repos;
  if (list.flow) return withFlowEntry(text, list, flowEntry(release));
  const lastItem = list.items[list.items.length - 1]!;
  const itemLine = lineStart(text, lastItem.range[0]);
  const indent = /^ */.exec(text.slice(itemLine))![0].length;
  return withLines(text, nextLineStart(text, lastItem.range[2]), entryLines(release, indent));
}

/** The framework's config file, or one line saying why it cannot be read. */
function readConfigFile(path: string): string {
  try {
    return readRegularFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(
      `${CONFIG_FILE}: cannot read it (${code === "EISDIR" ? "a folder is in its place" : code})`,
    );
  }
}

export function installPreCommitConfig(target: HookTarget, release: KeywardenRelease): string[] {
  const path = join(target.topLevel, CONFIG_FILE);
  const next = "Then run pre-commit install (once per clone) to turn the hooks on.";
  if (!existsSync(path)) {
    writeFileSync(path, CREATED_HEADER + preCommitSnippet(release));
    return [`Created ${CONFIG_FILE}:`, "", preCommitSnippet(release), next];
  }
  const text = readConfigFile(path);
  const document = readConfig(text, path);
  const repos = findRepos(document, path);
  if (repos?.list.items.some(isKeywardenEntry)) {
    return [`${CONFIG_FILE} already runs the keywarden hook.`];
  }
  const added = withEntry(text, repos, release);
  const config = plain(document);
  const entry = { repo: release.repository, rev: `v${release.version}`, hooks: [{ id: HOOK_ID }] };
  const expected = { ...config, repos: [...((config.repos as unknown[]) ?? []), entry] };
  if (!parsesTo(added, expected)) {
    throw new ConfigError(
      `${CONFIG_FILE}: cannot add the keywarden entry without reformatting the file; add it by hand (see the README)`,
      path,
    );
  }
  writeFileSync(path, added);
  return [`Added the keywarden hook to ${CONFIG_FILE}:`, "", preCommitSnippet(release), next];
}

/** `item` and the comma that separated it taken out of the flow list it is in. */
function withoutFlowItem(text: string, item: ParsedNode): string {
  const before = text.slice(0, item.range[0]);
  const after = text.slice(item.range[1]);
  const beforeComma = before.replace(/,\s*$/, "");
  if (beforeComma !== before) return beforeComma + after;
  return before + after.replace(/^\s*,\s*/, "");
}

/** `item` taken out of `list`: its lines, or its text in a flow list. */
function withoutItem(text: string, list: YAMLSeq.Parsed, item: ParsedNode): string {
  if (list.flow) return withoutFlowItem(text, item);
  return withoutLines(text, lineStart(text, item.range[0]), nextLineStart(text, item.range[2]));
}

/** The text and the data of a config without keywarden, each taken out of its own. */
interface Removal {
  readonly text: string;
  readonly config: Record<string, unknown>;
}

/** Takes out keywarden's entry at `index`, or only its hook when other hooks joined it there. */
function withoutKeywarden(
  text: string,
  document: Document.Parsed,
  repos: ReposList,
  index: number,
): Removal {
  const { list } = repos;
  const entry = list.items[index]!;
  const hooks = hooksOf(entry)!;
  const config = plain(document);
  const entries = config.repos as { hooks: unknown[] }[];
  if (hooks.items.length > 1) {
    const hookIndex = hooks.items.findIndex(isKeywardenHook);
    entries[index]!.hooks.splice(hookIndex, 1);
    return { text: withoutItem(text, hooks, hooks.items[hookIndex]!), config };
  }
  if (list.items.length === 1 && !list.flow) {
    // A block list cannot be empty: the `repos` key goes too, as install added them together.
    delete config.repos;
    const end = nextLineStart(text, entry.range[2]);
    return { text: withoutLines(text, lineStart(text, repos.keyStart), end), config };
  }
  entries.splice(index, 1);
  return { text: withoutItem(text, list, entry), config };
}

export function uninstallPreCommitConfig(target: HookTarget): string[] {
  const path = join(target.topLevel, CONFIG_FILE);
  if (!existsSync(path)) return [];
  const text = readConfigFile(path);
  // A plain `hook uninstall` looks here too: a config that never names keywarden is not its business.
  if (!text.includes(HOOK_ID)) return [];
  const document = readConfig(text, path);
  const repos = findRepos(document, path);
  const index = repos?.list.items.findIndex(isKeywardenEntry) ?? -1;
  if (repos === undefined || index === -1) return [];
  const removal = withoutKeywarden(text, document, repos, index);
  if (removal.text === CREATED_HEADER) {
    unlinkSync(path);
    return [`Removed ${CONFIG_FILE}: keywarden hook install had created it.`];
  }
  if (!parsesTo(removal.text, removal.config)) {
    throw new ConfigError(
      `${CONFIG_FILE}: cannot take the keywarden entry out without reformatting the file; remove it by hand`,
      path,
    );
  }
  writeFileSync(path, removal.text);
  return [`Removed the keywarden hook from ${CONFIG_FILE}.`];
}
