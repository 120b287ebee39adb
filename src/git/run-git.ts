import { type ChildProcessByStdio, spawn } from "node:child_process";
import { devNull } from "node:os";
import type { Readable, Writable } from "node:stream";
import { GitError } from "../errors.js";
import { readLineBatches } from "./read-lines.js";

/**
 * Runs git as a plain child process. The hot paths (staged diff, cat-file, log) stream through
 * these instead of simple-git: no shell, no per-call wrapper objects, output as bytes.
 */

export interface GitContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Options every scanning git call gets whatever the user's config says: paths unquoted (UTF-8
 * as is), no pager, no colours, no external diff tools, no lazy fetches from a promisor remote
 * (a partial clone must not start downloading while we read it), and the objects as they are:
 * `git replace` and a legacy info/grafts file can show a clean commit in place of the one that
 * leaked a key, or cut its ancestors off, while a clone, which fetches neither, gets the real
 * ones.
 */
const CONFIG_OVERRIDES = [
  "-c",
  "core.quotePath=false",
  "-c",
  "color.ui=never",
  "-c",
  "protocol.allow=never",
  // Author names and subjects as UTF-8, whatever encoding the user's log output is set to.
  "-c",
  "i18n.logOutputEncoding=UTF-8",
  // The empty graft file read in place of info/grafts would otherwise bring git's hint that
  // grafts are deprecated.
  "-c",
  "advice.graftFileDeprecated=false",
];

export function gitEnv(env: GitContext["env"]): NodeJS.ProcessEnv {
  return {
    ...env,
    GIT_PAGER: "cat",
    GIT_TERMINAL_PROMPT: "0",
    GIT_NO_LAZY_FETCH: "1",
    GIT_NO_REPLACE_OBJECTS: "1",
    GIT_GRAFT_FILE: devNull,
    LC_ALL: "C",
    LANGUAGE: "C",
  };
}

export type GitProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/** Starts `git <args>` with stdin, stdout and stderr piped. */
export function spawnGit(args: readonly string[], context: GitContext): GitProcess {
  const child = spawn("git", [...CONFIG_OVERRIDES, ...args], {
    cwd: context.cwd,
    env: gitEnv(context.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  // Git may exit before reading all of its input (EPIPE); its exit code says what happened.
  child.stdin.on("error", () => {});
  return child;
}

/** Collects a process's stderr (bounded: git's complaints are short, a flood is cut). */
export function collectStderr(child: GitProcess): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  child.stderr.on("data", (chunk: Buffer) => {
    if (size < 64 * 1024) chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString("utf8");
}

/** Resolves with the exit code once the process has exited and its streams are closed. */
export function exitCode(child: GitProcess): Promise<number> {
  const exited = new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  // A spawn failure may come before anyone awaits this; it is handled where it is awaited.
  exited.catch(() => {});
  return exited;
}

/** Outside a repository git says so, except `git diff`, which falls back to --no-index mode. */
const NOT_A_REPO = /not a git repository|usage: git diff --no-index/i;
/** `git diff`'s fallback, which hides why git found no repository. */
const DIFF_WITHOUT_REPO = /usage: git diff --no-index/i;
/** An object a partial clone lacks, which GIT_NO_LAZY_FETCH keeps git from downloading. */
const NOT_FETCHED = /could not fetch ([0-9a-f]+) from promisor remote/;
/** A repository another user owns, which git refuses to read (safe.directory). */
const DUBIOUS_OWNERSHIP = /detected dubious ownership in repository at '(.*)'/;

/** The one line worth showing from git's stderr: its `fatal:`/`error:` line, else the first. */
export function firstMeaningfulLine(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const fatal = lines.find((line) => /^(fatal|error):/.test(line));
  return (fatal ?? lines[0] ?? "").replace(/^(fatal|error):\s*/, "");
}

/**
 * Turns a failed git call into a GitError with one clear line. `meaning`: what a failure
 * git gives no known reason for means to the caller, added to git's own line.
 */
export function gitFailure(
  args: readonly string[],
  stderr: string,
  code: number,
  cwd: string,
  meaning?: string,
): GitError {
  const command = `git ${args.join(" ")}`;
  const dubious = DUBIOUS_OWNERSHIP.exec(stderr);
  if (dubious) {
    const repository = dubious[1]!;
    return new GitError(
      `git refuses ${repository}: another user owns it (if you trust it: git config --global --add safe.directory '${repository.replace(/'/g, `'\\''`)}')`,
      command,
      stderr,
    );
  }
  const notFetched = NOT_FETCHED.exec(stderr);
  if (notFetched) {
    return new GitError(
      `git ${args[0]} failed: object ${notFetched[1]} is not in this partial clone, and keywarden downloads nothing (scan a full clone, or fetch the objects first)`,
      command,
      stderr,
    );
  }
  if (NOT_A_REPO.test(stderr)) {
    return new GitError(`not a git repository: ${cwd}`, command, stderr);
  }
  const detail = firstMeaningfulLine(stderr) || `exit code ${code}`;
  const why = meaning ? ` (${meaning})` : "";
  return new GitError(`git ${args[0]} failed: ${detail}${why}`, command, stderr);
}

/**
 * Waits for a streaming git process and throws a GitError unless it succeeded. `shown` is the
 * command as the message names it (default: the arguments it ran with).
 */
export async function expectGitSuccess(
  exited: Promise<number>,
  args: readonly string[],
  stderr: () => string,
  context: GitContext,
  shown: readonly string[] = args,
): Promise<void> {
  let code: number;
  try {
    code = await exited;
  } catch (error) {
    throw spawnFailure(error, args);
  }
  if (code === 0) return;
  const complaint = stderr();
  if (DIFF_WITHOUT_REPO.test(complaint)) throw await whyNoRepository(context);
  throw gitFailure(shown, complaint, code, context.cwd);
}

/**
 * Why git found no repository where `git diff` looked: none there, or one git refuses (another
 * user's, a broken config), which only another command says.
 */
async function whyNoRepository(context: GitContext): Promise<GitError> {
  const args = ["rev-parse", "--git-dir"];
  const probe = await runGitRaw(args, context);
  return gitFailure(
    args,
    probe.code === 0 ? "not a git repository" : probe.stderr,
    128,
    context.cwd,
  );
}

/** A missing git binary is a GitError too, not a crash. */
export function spawnFailure(error: unknown, args: readonly string[]): GitError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new GitError("git is not installed or not on PATH", `git ${args.join(" ")}`);
  }
  return new GitError(`cannot run git: ${(error as Error).message}`, `git ${args.join(" ")}`);
}

export interface GitResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number;
}

/** Runs git to completion and returns what it printed, whatever its exit code. */
export async function runGitRaw(
  args: readonly string[],
  context: GitContext,
  input?: string,
): Promise<GitResult> {
  const child = spawnGit(args, context);
  const stderr = collectStderr(child);
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stdin.end(input ?? "");
  let code: number;
  try {
    code = await exitCode(child);
  } catch (error) {
    throw spawnFailure(error, args);
  }
  return { stdout: Buffer.concat(chunks), stderr: stderr(), code };
}

/** Runs git to completion; a non-zero exit becomes a GitError. Returns stdout as text. */
export async function runGit(args: readonly string[], context: GitContext): Promise<string> {
  const result = await runGitRaw(args, context);
  if (result.code !== 0) throw gitFailure(args, result.stderr, result.code, context.cwd);
  return result.stdout.toString("utf8");
}

/** A git command started before its output is read (see startGitOutput). */
export interface StartedGitOutput {
  readonly args: readonly string[];
  /** Its output as gitOutputLines gives it; read once. */
  lines(): AsyncGenerator<string[]>;
  /** Stops git and drops its output, unless that was read to the end. */
  close(): void;
}

/**
 * Starts git now; its output is read later. Git then runs on another core while the caller
 * works: the pre-commit hook compiles its rules meanwhile. Whoever starts it closes it, read or
 * not: unread output would otherwise hold git, and the process, open.
 */
export function startGitOutput(
  args: readonly string[],
  context: GitContext,
  shown: readonly string[] = args,
  input?: string,
): StartedGitOutput {
  const child = spawnGit(args, context);
  // When a child exits, Node resumes its output streams, and output nobody reads yet is
  // dropped, unless a 'readable' listener waits: this one keeps it for lines() to read.
  child.stdout.on("readable", () => {});
  const stderr = collectStderr(child);
  const exited = exitCode(child);
  child.stdin.end(input ?? "");
  let finished = false;
  return {
    args,
    async *lines() {
      yield* readLineBatches(child.stdout);
      await expectGitSuccess(exited, args, stderr, context, shown);
      finished = true;
    },
    close() {
      if (finished) return;
      child.stdout.destroy();
      if (child.exitCode === null) child.kill();
    },
  };
}

/**
 * Runs git and streams its output as batches of text lines (see readLineBatches), then fails
 * with a GitError unless git succeeded. `shown` is the command as an error names it; `input`,
 * what git reads on its standard input (`--stdin`). Stopping early stops git.
 */
export async function* gitOutputLines(
  args: readonly string[],
  context: GitContext,
  shown: readonly string[] = args,
  input?: string,
): AsyncGenerator<string[]> {
  const output = startGitOutput(args, context, shown, input);
  try {
    yield* output.lines();
  } finally {
    output.close();
  }
}
