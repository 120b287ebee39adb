import { buildLineIndex, type LineIndex } from "../engine/line-index.js";
import { GitError } from "../errors.js";
import { BlobHeads } from "../git/blob-heads.js";
import { type DiffFile, DiffParser } from "../git/diff-parser.js";
import {
  type GitContext,
  gitFailure,
  gitOutputLines,
  runGit,
  runGitRaw,
  type StartedGitOutput,
  startGitOutput,
} from "../git/run-git.js";
import type { Fragment, SkipNotice } from "../types.js";
import type { GitSourceOptions } from "./git-source-options.js";
import { areLfsPointerLines } from "./lfs-pointer.js";
import { decodeText, isBinary, isUtf16Text } from "./read-text.js";

/**
 * Options that make `git diff` output parseable whatever the user's config says (prefixes,
 * external diff tools, textconv filters, relative paths) and keep only what a commit adds:
 * renames and copies are diffed against their source, so only their new lines count;
 * deletions and submodule pointer changes have nothing to scan. `--full-index` names every
 * blob in full, for settleBinaryFiles; core.bigFileThreshold is git's default, so a smaller
 * one in the repository's config does not send every larger file there.
 */
export const ADDED_LINES_DIFF_OPTIONS = [
  "-c",
  "diff.noprefix=false",
  "-c",
  "diff.mnemonicPrefix=false",
  "-c",
  "core.bigFileThreshold=512m",
] as const;

export const ADDED_LINES_FLAGS = [
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--no-relative",
  "--full-index",
  "--find-renames",
  "--diff-filter=ACMRT",
  "--ignore-submodules=all",
  "--src-prefix=a/",
  "--dst-prefix=b/",
] as const;

/** Stretches of a text, [from, to) offsets. */
export interface TextSpan {
  readonly from: number;
  readonly to: number;
}

/**
 * Which whole-line stretches of a changed file's new text to read around its added lines
 * (`changed`, each a run of whole added lines; `lines`, the text's line index), so that rules
 * read there what they would read in the whole file: as far as each pattern reaches, which the
 * engine knows (see engine/change-context.ts).
 */
export type ContextAround = (
  text: string,
  lines: LineIndex,
  changed: readonly TextSpan[],
) => readonly TextSpan[];

/** What the staged and range sources take. */
export interface AddedLinesOptions extends GitSourceOptions {
  /**
   * Read each changed file's new version (the index's blob, the commit's) around its added
   * lines by this. Without it, the three unchanged lines on each side that the diff shows are
   * read; for a blob over maxFileSize, the lines the diff shows around them.
   */
  readonly contextAround?: ContextAround;
}

/**
 * The unchanged lines a diff shows around added ones. Without a reader of context, three, as
 * git shows by default: a key's provider is often named on a line nearby that the change
 * leaves alone (`together:` above `apiKey:`). With one, enough that a file of a few thousand
 * lines comes whole with its diff, and its new version need not be read apart (newTextOf).
 */
const DIFF_CONTEXT_LINES = 2000;

export function contextFlag(withContext: boolean): string {
  return `-U${withContext ? DIFF_CONTEXT_LINES : 3}`;
}

/** A parsed file of a diff and, for a range, the commit that brings it. */
export interface ChangedFile {
  readonly file: DiffFile;
  readonly git?: Fragment["git"];
  /**
   * Its added lines were found in its decoded blobs, git having shown it as binary (see
   * settleBinaryFiles): the diff shows none of its other lines.
   */
  readonly isSettled?: boolean;
}

/** Whether a file may have lines to scan: not a submodule, not deleted, not excluded. */
export function isScannable(
  file: DiffFile,
  options: Pick<GitSourceOptions, "isExcluded">,
): boolean {
  if (file.mode === "160000" || file.status === "deleted") return false;
  return !options.isExcluded?.(file.path);
}

/**
 * Git shows a file as binary by its content, but also when the repository's attributes say so
 * (`*.env -diff`, `binary`), which the very change under scan can set. So a file git showed
 * as binary is binary only when its content is, by the test `scan` and history make (read-text's
 * isBinary on the blob's first 8000 bytes: a NUL byte there, unless they are mostly text);
 * otherwise its added lines come from a text diff of its blobs, where attributes do not reach.
 * A UTF-16 file, with a byte-order mark or without (its NULs make it binary to git), is decoded
 * instead, as `scan` and history decode it. Files git showed as text need nothing: git calls
 * text only what has no NUL there, or what attributes force to text, and reading those is safe.
 */
export async function settleBinaryFiles(
  changes: readonly ChangedFile[],
  blobs: BlobHeads,
  context: GitContext,
): Promise<readonly ChangedFile[]> {
  if (!changes.some(({ file }) => file.isBinary)) return changes;
  const heads = changes.map(({ file }) =>
    file.isBinary && file.blob !== undefined ? blobs.head(file.blob) : undefined,
  );
  const settled: ChangedFile[] = [];
  for (const [index, change] of changes.entries()) {
    const head = await heads[index];
    if (head !== undefined && isUtf16Text(head)) {
      settled.push({ ...change, file: await utf16Lines(change.file, context), isSettled: true });
    } else if (head !== undefined && !isBinary(head)) {
      settled.push({ ...change, file: await textLines(change.file, context), isSettled: true });
    } else {
      settled.push(change);
    }
  }
  return settled;
}

/**
 * A blob's lines, decoded as history and `scan` decode files (UTF-16 after its mark, other
 * bytes as Latin-1), without their line ends, CRLF's included.
 */
async function decodedLines(blob: string, context: GitContext): Promise<string[]> {
  const result = await runGitRaw(["cat-file", "blob", blob], context);
  if (result.code !== 0)
    throw gitFailure(["cat-file", "blob", blob], result.stderr, result.code, context.cwd);
  const lines = decodeText(result.stdout).split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/**
 * The lines of a UTF-16 file (a PowerShell `>` redirect, a .reg export) that are in none of
 * its parents' versions. Git diffs such files as bytes, which split no lines, so both
 * versions are decoded here; a line counts as added when no parent has it anywhere, which
 * lets a moved line pass, as a diff would not.
 */
async function utf16Lines(file: DiffFile, context: GitContext): Promise<DiffFile> {
  const lines = await decodedLines(file.blob!, context);
  const parents = await Promise.all(
    file.parentBlobs
      .filter((parent) => !NULL_ID.test(parent))
      .map(async (parent) => new Set(await decodedLines(parent, context))),
  );
  const addedLines: string[] = [];
  const lineNumbers: number[] = [];
  for (const [index, line] of lines.entries()) {
    if (parents.some((parent) => parent.has(line))) continue;
    addedLines.push(line);
    lineNumbers.push(index + 1);
  }
  return { ...file, isBinary: false, addedLines, lineNumbers };
}

const NULL_ID = /^0+$/;

/**
 * The lines of a text file git showed as binary that are in none of its parents' versions,
 * as combined diffs count them (one parent outside merges): those a text diff from each
 * parent's blob adds; every line when no parent had the file.
 */
async function textLines(file: DiffFile, context: GitContext): Promise<DiffFile> {
  const blob = file.blob!;
  let own: Map<number, string> | undefined;
  for (const parent of file.parentBlobs) {
    if (NULL_ID.test(parent)) continue; // not in this parent: every line is new to it
    const added = await linesAddedTo(parent, blob, context);
    own = own ? new Map([...own].filter(([line]) => added.has(line))) : added;
  }
  own ??= new Map((await decodedLines(blob, context)).map((line, index) => [index + 1, line]));
  return { ...file, isBinary: false, addedLines: [...own.values()], lineNumbers: [...own.keys()] };
}

/** The lines a text diff from one blob to another adds, by line number in the second. */
async function linesAddedTo(
  from: string,
  to: string,
  context: GitContext,
): Promise<Map<number, string>> {
  const args = [
    ...ADDED_LINES_DIFF_OPTIONS,
    "diff",
    ...ADDED_LINES_FLAGS,
    "-U3",
    "--text",
    "--end-of-options",
    from,
    to,
    "--",
  ];
  const added = new Map<number, string>();
  const parser = new DiffParser((file) => {
    for (const [index, line] of file.lineNumbers.entries())
      added.set(line, file.addedLines[index]!);
  });
  for await (const lines of gitOutputLines(args, context, ["diff", from, to])) {
    for (const line of lines) parser.line(line);
  }
  parser.flush();
  return added;
}

/**
 * The new version of a file whose added lines are to be read in it as far as contextAround
 * says, decoded as `scan` decodes files: from the diff when it shows the file whole (a file of
 * up to a few thousand lines), else from its blob. Undefined when there is no reader of context,
 * when every line of the file is added (nothing else to read), and for a blob over the size
 * limit: the lines the diff shows are read then.
 */
function newTextOf(
  { file, isSettled }: ChangedFile,
  blobs: BlobHeads,
  options: Pick<AddedLinesOptions, "contextAround" | "maxFileSize">,
): Promise<string | undefined> {
  if (!options.contextAround || file.isBinary || file.addedLines.length === 0) {
    return Promise.resolve(undefined);
  }
  if (!isSettled) {
    const whole = wholeInDiff(file);
    if (whole !== undefined) return Promise.resolve(whole || undefined);
  }
  if (file.blob === undefined) return Promise.resolve(undefined);
  const text = blobs
    .read(file.blob, options.maxFileSize)
    .then((blob) =>
      blob && blob.size <= options.maxFileSize ? decodeText(blob.bytes) : undefined,
    );
  // Asked for ahead of its use: a failure is raised where it is awaited, or nowhere.
  text.catch(() => {});
  return text;
}

/**
 * A file's new text from its diff, when the diff shows all of it: "" when every line is added
 * (there is nothing around them to read), undefined when it does not show it all.
 */
function wholeInDiff(file: DiffFile): string | undefined {
  const shown = file.addedLines.length + file.contextLines.length;
  const lastAdded = file.lineNumbers.at(-1)!;
  const lastShown = Math.max(lastAdded, file.contextNumbers.at(-1) ?? 0);
  // Every line from the first on is shown (numbers are distinct), and fewer unchanged lines
  // follow the last added one than the diff shows around a change: the file ends there.
  let trailing = 0;
  for (let i = file.contextNumbers.length - 1; i >= 0 && file.contextNumbers[i]! > lastAdded; i--)
    trailing++;
  if (shown !== lastShown || trailing >= DIFF_CONTEXT_LINES) return undefined;
  return file.contextLines.length === 0 ? "" : withContext(file).lines.join("\n");
}

/**
 * The Fragments of a batch of a diff's files, each settled (settleBinaryFiles) and read in its
 * new version around its added lines (newTextOf, all asked for at once), in their order. Shared
 * by the staged and range sources.
 */
export async function* changedFileFragments(
  changes: readonly ChangedFile[],
  blobs: BlobHeads,
  options: AddedLinesOptions,
): AsyncGenerator<Fragment> {
  const settled = await settleBinaryFiles(changes, blobs, options);
  const texts = settled.map((change) => newTextOf(change, blobs, options));
  for (const [index, { file, git }] of settled.entries()) {
    const fragment = addedLinesFragment(file, options, options.onSkip, git, await texts[index]);
    if (fragment) yield fragment;
  }
}

/**
 * Turns a scannable file of a diff, settled by settleBinaryFiles, into a Fragment of its added
 * lines, or a skip notice. With `newText` (newTextOf)
 * the lines around are read from it, as far as `contextAround` says; else the diff's.
 */
export function addedLinesFragment(
  file: DiffFile,
  options: Pick<AddedLinesOptions, "maxFileSize" | "contextAround">,
  skip: (notice: SkipNotice) => void,
  git?: Fragment["git"],
  newText?: string,
): Fragment | undefined {
  const where = git ? ` (commit ${git.commit.slice(0, 12)})` : "";
  if (file.isBinary) {
    skip({ path: file.path, reason: "binary", detail: `binary content${where}` });
    return undefined;
  }
  if (file.oversizeBytes === undefined && file.addedLines.length === 0) return undefined;
  if (areLfsPointerLines(file.addedLines)) {
    skip({ path: file.path, reason: "lfs-pointer", detail: `Git LFS pointer${where}` });
    return undefined;
  }
  const size = file.oversizeBytes ?? Buffer.byteLength(file.addedLines.join("\n"), "utf8");
  if (size > options.maxFileSize) {
    skip({
      path: file.path,
      reason: "too-large",
      detail: `${size} bytes added, over the ${options.maxFileSize}-byte limit${where}`,
    });
    return undefined;
  }
  if (newText !== undefined && options.contextAround) {
    return {
      ...linesAround(file, newText, options.contextAround),
      path: file.path,
      ...(git ? { git } : {}),
    };
  }
  const { lines, lineNumbers } = withContext(file);
  return {
    text: lines.join("\n"),
    path: file.path,
    startLine: lineNumbers[0] ?? 1,
    lineNumbers,
    ...(file.contextNumbers.length > 0 ? { contextOnly: new Set(file.contextNumbers) } : {}),
    ...(git ? { git } : {}),
  };
}

/**
 * The stretches of a file's new text that `contextAround` asks for around its added lines,
 * joined, each line mapped to its line number; only the added lines are reported (the others,
 * often nearly all of a file read whole, are told as the few that are not context).
 */
export function linesAround(
  file: Pick<DiffFile, "lineNumbers">,
  text: string,
  contextAround: ContextAround,
): Pick<Fragment, "text" | "startLine" | "lineNumbers" | "reportedLines"> {
  const lines = buildLineIndex(text);
  const count = lines.lineCount();
  const lineEnd = (line: number) =>
    line + 1 < count ? lines.lineStart(line + 1) - 1 : text.length;
  // Runs of consecutive added lines, as offsets: line numbers are 1-based and ascending.
  const added = file.lineNumbers;
  const changed: TextSpan[] = [];
  for (let first = 0; first < added.length; ) {
    let last = first;
    while (last + 1 < added.length && added[last + 1] === added[last]! + 1) last++;
    if (added[first]! > count) break; // past the text: not a line of it
    const from = lines.lineStart(added[first]! - 1);
    changed.push({ from, to: lineEnd(Math.min(added[last]!, count) - 1) });
    first = last + 1;
  }
  const stretches = contextAround(text, lines, changed);
  if (stretches.length === 0) return { text: "", startLine: 1, reportedLines: new Set() };
  const pieces = stretches.map(({ from, to }) =>
    from === 0 && to === text.length ? text : text.slice(from, to),
  );
  const startLine = lines.lineOf(stretches[0]?.from ?? 0) + 1;
  const reportedLines = new Set(added);
  // One stretch is contiguous: its first line number says where every line is.
  if (stretches.length === 1) return { text: pieces[0]!, startLine, reportedLines };
  const lineNumbers: number[] = [];
  for (const { from, to } of stretches) {
    const last = lines.lineOf(to) + 1;
    for (let line = lines.lineOf(from) + 1; line <= last; line++) lineNumbers.push(line);
  }
  return { text: pieces.join("\n"), startLine, lineNumbers, reportedLines };
}

/** A file's added and context lines together, in file order. */
function withContext(file: DiffFile): { lines: string[]; lineNumbers: number[] } {
  if (file.contextLines.length === 0) {
    return { lines: [...file.addedLines], lineNumbers: [...file.lineNumbers] };
  }
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  let added = 0;
  let context = 0;
  while (added < file.addedLines.length || context < file.contextLines.length) {
    const takeAdded =
      context >= file.contextLines.length ||
      (added < file.addedLines.length && file.lineNumbers[added]! < file.contextNumbers[context]!);
    if (takeAdded) {
      lines.push(file.addedLines[added]!);
      lineNumbers.push(file.lineNumbers[added++]!);
    } else {
      lines.push(file.contextLines[context]!);
      lineNumbers.push(file.contextNumbers[context++]!);
    }
  }
  return { lines, lineNumbers };
}

export interface StagedOptions extends AddedLinesOptions {
  /** Only the staged files this takes (repository-relative paths); all when absent. */
  readonly isListed?: (path: string) => boolean;
  /** The diff, started early by startStagedDiff; used when its arguments are these options'. */
  readonly started?: StartedGitOutput;
}

function stagedDiffArgs(withContext: boolean): string[] {
  return [
    ...ADDED_LINES_DIFF_OPTIONS,
    "diff",
    "--cached",
    ...ADDED_LINES_FLAGS,
    contextFlag(withContext),
  ];
}

/**
 * Starts the diff a staged scan with a change context reads, before the config is loaded: the
 * pre-commit hook's git then runs while its rules compile. Pass it to stagedFragments as
 * `started`, and close it in any case.
 */
export function startStagedDiff(context: GitContext): StartedGitOutput {
  return startGitOutput(stagedDiffArgs(true), context, STAGED_DIFF_SHOWN);
}

const STAGED_DIFF_SHOWN = ["diff", "--cached"];

/**
 * The lines a commit would add: `git diff --cached` against HEAD (or, on an unborn branch,
 * against nothing: git then shows every staged file whole). One Fragment per file, each text
 * line mapped to its line number in the new file. Honours GIT_INDEX_FILE, so inside a
 * pre-commit hook of `git commit -a` or `git commit <paths>` it sees what will be committed.
 */
export async function* stagedFragments(options: StagedOptions): AsyncGenerator<Fragment> {
  const args = stagedDiffArgs(options.contextAround !== undefined);
  const { started } = options;
  const diff =
    started && started.args.join("\0") === args.join("\0")
      ? started
      : startGitOutput(args, options, STAGED_DIFF_SHOWN);
  const changes: ChangedFile[] = [];
  let changed = false;
  const parser = new DiffParser(
    (file) => {
      changed = true;
      if (options.isListed && !options.isListed(file.path)) return;
      if (isScannable(file, options)) changes.push({ file });
    },
    // A file adding more is skipped as too large: only its size is kept.
    { maxAddedBytes: options.maxFileSize },
  );
  const blobs = new BlobHeads(options);
  const ready = () => changedFileFragments(changes.splice(0), blobs, options);
  try {
    for await (const lines of diff.lines()) {
      for (const line of lines) parser.line(line);
      yield* ready();
    }
    parser.flush();
    yield* ready();
    if (!changed) await assertWorkTree(options);
  } finally {
    diff.close();
    blobs.close();
  }
}

/**
 * A bare repository has an index, empty, so `git diff --cached` shows nothing there: asked only
 * when it did, so that a bare repository is an error and not a clean pass.
 */
async function assertWorkTree(context: GitContext): Promise<void> {
  if ((await runGit(["rev-parse", "--is-bare-repository"], context)).trim() === "true") {
    throw new GitError(`staged changes need a work tree: ${context.cwd} is a bare repository`);
  }
}
