import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdir,
  readFileSync,
  readSync,
  type Stats,
  statSync,
} from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve } from "node:path";
import fg from "fast-glob";
import ignore, { type Ignore } from "ignore";
import { configGlobMatcher } from "../config/config-globs.js";
import { repositoryTop } from "../config/find-up.js";
import { RuntimeError } from "../errors.js";
import { gitFailure, runGitRaw } from "../git/run-git.js";
import { pathInside, toPosix } from "../posix-path.js";
import type { Fragment, SkipNotice } from "../types.js";
import { isLfsPointer } from "./lfs-pointer.js";
import { openablePath } from "./raw-path.js";
import { decodeText, isBinary, MAX_TEXT_BYTES } from "./read-text.js";

export interface FileSourceOptions {
  readonly cwd: string;
  /** Files and directories to scan, relative to cwd. */
  readonly paths: readonly string[];
  /** Globs never scanned, relative to `root` (or to each scanned directory). */
  readonly exclude: readonly string[];
  /**
   * The folder the config's globs are written from (the config file's): excludes, rule paths
   * and allowlists match paths relative to it, wherever the scan is run from.
   */
  readonly root?: string;
  readonly maxFileSize: number;
  /** Honour .gitignore files inside the scanned directories (default true). */
  readonly gitignore?: boolean;
  readonly onSkip: (notice: SkipNotice) => void;
}

/**
 * Line terminators. picomatch compiles `**` to a loop of `.` without the `s` flag, so a `**`
 * never matches a path holding one (its `*` is `[^/]*`, which does): see walkTree.
 */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** What a file-system entry that is neither a regular file nor a link is, for a notice. */
type EntryKind = Pick<
  Stats,
  "isDirectory" | "isFIFO" | "isSocket" | "isCharacterDevice" | "isBlockDevice"
>;

function describeKind(entry: EntryKind): string {
  if (entry.isDirectory()) return "folder";
  if (entry.isFIFO()) return "FIFO";
  if (entry.isSocket()) return "socket";
  if (entry.isCharacterDevice()) return "character device";
  if (entry.isBlockDevice()) return "block device";
  return "special file";
}

/** Why a path named on the command line cannot be scanned, for the codes a user can act on. */
const PATH_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "no such file or directory (a part of the path is a file)",
  ELOOP: "a symbolic link loop",
  EACCES: "permission denied",
  ENAMETOOLONG: "the name is too long",
};

/** FIFOs, sockets and devices are never opened: opening a FIFO waits for a writer. */
function skipNotRegular(displayPath: string, entry: EntryKind, options: FileSourceOptions): void {
  options.onSkip({
    path: displayPath,
    reason: "not-a-file",
    detail: describeKind(entry),
  });
}

/** What a walk asks of each folder, besides its entries. */
interface WalkHooks {
  /** Told about each folder that cannot be listed; the walk goes on. */
  readonly onError?: (directory: string, error: NodeJS.ErrnoException) => void;
  /** Asked before a folder (relative to the walk's root, "" for it) is listed; false skips it. */
  readonly enterFolder?: (folder: string) => boolean;
}

/** fast-glob's readdir, with the walk's hooks. */
function hookedReaddir(root: string, hooks: WalkHooks): fg.FileSystemAdapter["readdir"] {
  const { onError, enterFolder } = hooks;
  // fast-glob asks with file types on every Node it supports; the cast covers its other overload.
  return ((directory: string, options: { withFileTypes: true }, callback) => {
    if (enterFolder && !enterFolder(toPosix(relative(root, directory)))) {
      callback(null, []);
      return;
    }
    readdir(openablePath(directory), options, (error, entries) => {
      if (error) onError?.(directory, error);
      callback(error, entries);
    });
  }) as fg.FileSystemAdapter["readdir"];
}

/**
 * Every entry below `root`, folders too, its path relative to root; .git folders left out,
 * links not followed. The pattern is `**` + `/*`, whose last part matches a name holding a
 * line break; below a folder so named no `**` matches, so that folder is walked again on its own.
 */
async function* walkTree(root: string, hooks: WalkHooks, prefix = ""): AsyncGenerator<fg.Entry> {
  const entries = fg.stream("**/*", {
    cwd: join(root, prefix),
    dot: true,
    onlyFiles: false,
    objectMode: true,
    followSymbolicLinks: false,
    suppressErrors: true,
    ignore: ["**/.git/**"],
    fs: { readdir: hookedReaddir(root, hooks) },
  });
  for await (const entry of entries as AsyncIterable<fg.Entry>) {
    const path = `${prefix}${entry.path}`;
    yield prefix === "" ? entry : { ...entry, path };
    if (entry.dirent.isDirectory() && LINE_TERMINATOR.test(entry.name))
      yield* walkTree(root, hooks, `${path}/`);
  }
}

/**
 * The ignore rules of a scanned folder: each folder's .gitignore, read as the walk enters the
 * folder (before anything in it is asked about), and the info/exclude of a repository at its top.
 * As in git, nothing inside an ignored folder can be included again, so an ignored folder is
 * not walked at all: a node_modules of 100,000 files costs one test.
 */
class GitignoreRules {
  private readonly byFolder = new Map<string, Ignore>();
  /** Folders holding a tracked file the rules would ignore: walked all the same. */
  private readonly trackedFolders = new Set<string>();

  /**
   * `tracked`: the files git tracks that the rules match (root-relative). Git still commits
   * them, so they are scanned: `prod.env` committed before `*.env` joined .gitignore.
   */
  constructor(
    private readonly root: string,
    private readonly tracked: ReadonlySet<string> = new Set(),
    /** The rules of git's core.excludesFile, for a root that is a repository's top. */
    private readonly globalExcludes = "",
  ) {
    for (const file of tracked) {
      for (let end = file.lastIndexOf("/"); end > 0; end = file.lastIndexOf("/", end - 1)) {
        this.trackedFolders.add(file.slice(0, end));
      }
    }
  }

  /** Reads the folder's rules; false when an outer folder's rules ignore it. */
  enterFolder(folder: string): boolean {
    if (folder !== "" && !this.trackedFolders.has(folder) && this.ignores(`${folder}/`)) {
      return false;
    }
    this.readFolder(folder);
    return true;
  }

  /** Reads a folder's rules, whether or not it is ignored (a folder asked for by name). */
  readFolder(folder: string): void {
    const dir = join(this.root, folder);
    // The repository's own info/exclude, at its top. Only there: looking for a .git in every
    // folder walked would cost a system call each (a submodule's own exclude is not read
    // when the walk reaches it from the superproject).
    const exclude = folder === "" ? infoExcludeOf(dir) : undefined;
    const sources = [...(exclude ? [exclude] : []), join(dir, ".gitignore")];
    // One list, core.excludesFile first, then info/exclude: a later pattern wins, and as in git
    // .gitignore outranks info/exclude, which outranks core.excludesFile. Both of those are
    // written from the repository's top.
    const global = folder === "" ? [this.globalExcludes] : [];
    const rules = [...global, ...sources.map(readRules)].join("\n");
    if (rules.trim() !== "")
      this.byFolder.set(folder, ignore({ ignorecase: IGNORE_CASE }).add(rules));
  }

  /**
   * Whether a path (relative to the root; a folder's with a trailing slash) is ignored. As in
   * git, the deepest .gitignore with a pattern for it decides: a folder's `!defaults.env`
   * takes back its parent's `*.env`.
   */
  ignores(relativePath: string): boolean {
    if (this.tracked.has(relativePath)) return false;
    const path = relativePath.endsWith("/") ? relativePath.slice(0, -1) : relativePath;
    for (let end = path.lastIndexOf("/"); ; end = path.lastIndexOf("/", end - 1)) {
      const folder = end > 0 ? path.slice(0, end) : "";
      const rules = this.byFolder.get(folder);
      const inside = folder === "" ? relativePath : relativePath.slice(folder.length + 1);
      if (rules && inside !== "") {
        const { ignored, unignored } = rules.test(inside);
        if (ignored && !this.onlyByFolder(rules, folder, path)) return true;
        if (unignored) return false;
      }
      if (end <= 0) return false;
    }
  }

  /**
   * Whether one folder's rules (`rules`, read in `folder`) call a path ignored only because they
   * ignore a folder above it which a deeper .gitignore takes back: with `build/` at the top and
   * `!build/` in src/.gitignore, src/build/app.env is not ignored. The `ignore` package judges a
   * path by its folders first, so its verdict then says nothing about the path itself. (Nor
   * does it tell whether another of those rules matches the path itself, a top-level `*.log` for
   * src/build/trace.log: such a file is scanned although git ignores it.)
   */
  private onlyByFolder(rules: Ignore, folder: string, path: string): boolean {
    const parent = path.slice(0, Math.max(path.lastIndexOf("/"), 0));
    if (parent.length <= folder.length) return false;
    const parentInside = folder === "" ? parent : parent.slice(folder.length + 1);
    return rules.test(`${parentInside}/`).ignored && !this.ignores(`${parent}/`);
  }
}

/**
 * Whether ignore patterns match letter case loosely: git's core.ignorecase, which git sets where
 * file systems do (macOS, Windows).
 */
const IGNORE_CASE = process.platform === "darwin" || process.platform === "win32";

/**
 * The ignore rules for a scanned folder, by paths relative to it. Inside a repository they are
 * read from its top, so that scanning a subfolder honours the .gitignore files above it and
 * .git/info/exclude, as git does; the folder itself is scanned even if ignored, since it was
 * asked for.
 */
async function ignoreRulesFor(
  folder: string,
  onGitRefusal: (detail: string) => void,
): Promise<Pick<GitignoreRules, "ignores" | "enterFolder">> {
  const inRepository = repositoryTop(folder);
  const top = inRepository ?? folder;
  const prefix = toPosix(relative(top, folder));
  const fromTop = (path: string) => (prefix === "" ? path : `${prefix}/${path}`);
  const [listed, globalExcludes] = inRepository
    ? await Promise.all([trackedButIgnored(folder), excludesFileRules(inRepository)])
    : [new Set<string>(), ""];
  if (typeof listed === "string") {
    // Files git commits although .gitignore matches them would go unscanned without a word.
    onGitRefusal(
      `git cannot list the files it tracks (${listed}): tracked files that .gitignore matches were not scanned`,
    );
  }
  const tracked = typeof listed === "string" ? [] : [...listed].map(fromTop);
  const rules = new GitignoreRules(top, new Set(tracked), globalExcludes);
  const parts = prefix === "" ? [] : prefix.split("/");
  for (let depth = 0; depth <= parts.length; depth++)
    rules.readFolder(parts.slice(0, depth).join("/"));
  return {
    ignores: (path) => rules.ignores(fromTop(path)),
    enterFolder: (path) => path === "" || rules.enterFolder(fromTop(path)),
  };
}

/**
 * The files below `folder`, inside a repository, that git tracks although its ignore rules
 * match them, relative to it; or why git could not list them (it refuses another user's
 * repository, or is not installed).
 */
async function trackedButIgnored(folder: string): Promise<ReadonlySet<string> | string> {
  const args = ["ls-files", "-z", "--cached", "--ignored", "--exclude-standard"];
  try {
    const result = await runGitRaw(args, { cwd: folder, env: process.env });
    if (result.code !== 0) return gitFailure(args, result.stderr, result.code, folder).message;
    return new Set(result.stdout.toString("utf8").split("\0").filter(Boolean));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT"
      ? "git is not installed"
      : String(error);
  }
}

/**
 * The rules of git's global ignore file for the repository whose top is `top`: core.excludesFile
 * as git reads it there (a `~/` expanded, a relative path from the top), else git's default,
 * $XDG_CONFIG_HOME/git/ignore or ~/.config/git/ignore. None when git cannot say or the file
 * cannot be read. Only a walk inside a repository asks, as only git applies the file.
 */
async function excludesFileRules(top: string): Promise<string> {
  const args = ["config", "--path", "--get", "core.excludesFile"];
  try {
    const result = await runGitRaw(args, { cwd: top, env: process.env });
    // 1: the key is not set, and git's default applies; anything else git refused.
    if (result.code === 1) return readRules(defaultExcludesFile(process.env));
    if (result.code !== 0) return "";
    const file = result.stdout.toString("utf8").replace(/\r?\n$/, "");
    return file === "" ? "" : readRules(resolve(top, file));
  } catch {
    return "";
  }
}

/** Git's default core.excludesFile: $XDG_CONFIG_HOME/git/ignore, or ~/.config/git/ignore. */
function defaultExcludesFile(env: NodeJS.ProcessEnv): string {
  const configHome = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(configHome, "git", "ignore");
}

/**
 * The info/exclude file of the repository whose top is `dir`, if it is one. Its `.git` is a
 * folder, or in a linked worktree or a submodule a file naming the git dir (`gitdir: …`): a
 * submodule's info/ is in that dir, a linked worktree's in the main one's (its `commondir`).
 */
function infoExcludeOf(dir: string): string | undefined {
  const dotGit = join(dir, ".git");
  let stats: Stats;
  try {
    stats = statSync(openablePath(dotGit));
  } catch {
    return undefined;
  }
  if (stats.isDirectory()) return join(dotGit, "info", "exclude");
  const gitdir = /^gitdir: *(.+?)\r?$/m.exec(readRules(dotGit))?.[1];
  if (gitdir === undefined) return undefined;
  const gitDir = resolve(dir, gitdir);
  const common = readRules(join(gitDir, "commondir")).trim();
  return join(common === "" ? gitDir : resolve(gitDir, common), "info", "exclude");
}

/**
 * A file's text, or "" when it cannot be read (no such file) or is no regular file: a FIFO
 * named .gitignore would otherwise wait for a writer forever.
 */
function readRules(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(openablePath(file), constants.O_RDONLY | constants.O_NONBLOCK);
    return fstatSync(fd).isFile() ? readFileSync(fd, "utf8") : "";
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isLinkToFile(file: string, displayPath: string, options: FileSourceOptions): boolean {
  try {
    const target = statSync(openablePath(file));
    if (target.isFile()) return true;
    options.onSkip({
      path: displayPath,
      reason: "symlink",
      detail: `link to a ${describeKind(target)}, not followed`,
    });
  } catch (error) {
    const loop = (error as NodeJS.ErrnoException).code === "ELOOP";
    options.onSkip({
      path: displayPath,
      reason: "symlink",
      detail: loop ? "link loop" : "broken link",
    });
  }
  return false;
}

/** Reads one file into a fragment, or reports why it was skipped. */
function readFileFragment(
  absolute: string,
  displayPath: string,
  globPath: string,
  options: FileSourceOptions,
): Fragment | undefined {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // Callers have seen a regular file. Should it have become a FIFO since, O_NONBLOCK makes
    // the open return at once rather than wait for a writer, and fstat turns it away.
    fd = openSync(openablePath(absolute), constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      skipNotRegular(displayPath, stats, options);
      return undefined;
    }
    // Size first, so a file over the limit is never read into memory.
    if (stats.size > options.maxFileSize) {
      options.onSkip({
        path: displayPath,
        reason: "too-large",
        detail: `${stats.size} bytes > --max-file-size ${options.maxFileSize}`,
      });
      return undefined;
    }
    if (stats.size > MAX_TEXT_BYTES) {
      // Binary or not is told by the first bytes; only a text this long is something missed.
      const head = Buffer.alloc(8192);
      if (isBinary(head.subarray(0, readSync(fd, head, 0, head.length, 0)))) {
        options.onSkip({ path: displayPath, reason: "binary" });
      } else {
        options.onSkip({
          path: displayPath,
          reason: "unreadable",
          detail: `${stats.size} bytes, more than one text can hold (${MAX_TEXT_BYTES} characters)`,
        });
      }
      return undefined;
    }
    bytes = readFileSync(fd);
  } catch (error) {
    options.onSkip({
      path: displayPath,
      reason: "unreadable",
      detail: (error as NodeJS.ErrnoException).code,
    });
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (isBinary(bytes)) {
    options.onSkip({ path: displayPath, reason: "binary" });
    return undefined;
  }
  const text = decodeText(bytes);
  if (isLfsPointer(text)) {
    options.onSkip({
      path: displayPath,
      reason: "lfs-pointer",
      detail: "content is stored in Git LFS",
    });
    return undefined;
  }
  return {
    text,
    path: displayPath,
    startLine: 1,
    ...(globPath !== displayPath ? { globPath } : {}),
  };
}

/**
 * The path of `file` relative to `root` when it lies inside, for globs; else `fallback`. A
 * folder's trailing slash is kept, as the globs tell folders by it.
 */
function globPathOf(file: string, root: string | undefined, fallback: string): string {
  const inside = root === undefined ? undefined : pathInside(root, file);
  if (!inside) return fallback;
  return `${inside}${fallback.endsWith("/") ? "/" : ""}`;
}

/**
 * Working-tree files: fast-glob walks, picomatch applies the config's excludes, .gitignore
 * files are honoured, binaries, files over the size limit and anything but regular files
 * are skipped with a notice, and so are folders that cannot be listed.
 */
export async function* fileFragments(options: FileSourceOptions): AsyncGenerator<Fragment> {
  const isExcluded = configGlobMatcher(options.exclude) ?? (() => false);
  // A file named twice, or named and inside a folder named too (`scan . .env`), is read once:
  // one key at one place is one finding.
  const seen = new Set<string>();
  const isFirstTime = (file: string) => {
    if (seen.has(file)) return false;
    seen.add(file);
    return true;
  };
  for (const target of options.paths) {
    const absolute = resolve(options.cwd, target);
    const targetPath = toPosix(relative(options.cwd, absolute)) || target;
    let stats: Stats;
    try {
      stats = statSync(openablePath(absolute));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new RuntimeError(`${target}: ${PATH_ERRORS[code] ?? code}`);
    }
    if (stats.isFile()) {
      const globPath = globPathOf(absolute, options.root, targetPath);
      // The config's excludes hold for a file named too (the pre-commit framework names every
      // file); .gitignore does not, as a file asked for by name is scanned.
      if (isExcluded(globPath) || !isFirstTime(absolute)) continue;
      const fragment = readFileFragment(absolute, targetPath, globPath, options);
      if (fragment) yield fragment;
      continue;
    }
    if (!stats.isDirectory()) {
      skipNotRegular(targetPath, stats, options);
      continue;
    }
    const gitignore =
      options.gitignore === false
        ? undefined
        : await ignoreRulesFor(absolute, (detail) =>
            options.onSkip({ path: targetPath, reason: "unreadable", detail }),
          );
    const isIgnored = (relativePath: string) => gitignore?.ignores(relativePath) ?? false;
    // .gitignore rules read paths from the scanned folder, the config's globs from root.
    const globPathIn = (relativePath: string) =>
      globPathOf(join(absolute, relativePath), options.root, relativePath);
    const isLeftOut = (relativePath: string, globPath = globPathIn(relativePath)) =>
      isExcluded(globPath) || isIgnored(relativePath);
    // A folder named a line break is listed twice (see walkTree), reported once.
    const unlisted = new Set<string>();
    const reportUnlisted = (directory: string, error: NodeJS.ErrnoException) => {
      const relativePath = toPosix(relative(absolute, directory));
      // A folder the scan leaves out anyway is no loss; fast-glob never enters .git.
      if (relativePath !== "" && (isLeftOut(relativePath) || isLeftOut(`${relativePath}/`))) return;
      if (unlisted.has(directory)) return;
      unlisted.add(directory);
      options.onSkip({
        path: toPosix(relative(options.cwd, directory)) || targetPath,
        reason: "unreadable",
        detail: `${error.code}: folder not listed`,
      });
    };
    const enterFolder = gitignore && ((folder: string) => gitignore.enterFolder(folder));
    for await (const entry of walkTree(absolute, { onError: reportUnlisted, enterFolder })) {
      if (entry.dirent.isDirectory()) continue;
      const relativePath = entry.path;
      const globPath = globPathIn(relativePath);
      if (isLeftOut(relativePath, globPath)) continue;
      const file = join(absolute, relativePath);
      if (!isFirstTime(file)) continue;
      const displayPath = toPosix(relative(options.cwd, file));
      // Symbolic links to files are read through (gitleaks users expect it); links to folders
      // are not followed, which rules out loops; broken links are reported.
      if (entry.dirent.isSymbolicLink()) {
        if (!isLinkToFile(file, displayPath, options)) continue;
      } else if (!entry.dirent.isFile()) {
        skipNotRegular(displayPath, entry.dirent, options);
        continue;
      }
      const fragment = readFileFragment(file, displayPath, globPath, options);
      if (fragment) yield fragment;
    }
  }
}
