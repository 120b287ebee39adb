import { readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import fg from "fast-glob";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { RuntimeError } from "../errors.js";
import type { Fragment, SkipNotice } from "../types.js";
import { isLfsPointer } from "./lfs-pointer.js";
import { decodeText, isBinary } from "./read-text.js";

export interface FileSourceOptions {
  readonly cwd: string;
  /** Files and directories to scan, relative to cwd. */
  readonly paths: readonly string[];
  /** Globs (relative to each scanned directory) never scanned. */
  readonly exclude: readonly string[];
  readonly maxFileSize: number;
  /** Honour .gitignore files inside the scanned directories (default true). */
  readonly gitignore?: boolean;
  readonly onSkip: (notice: SkipNotice) => void;
}

const toPosix = (path: string) => path.split(sep).join("/");

/** Reads every .gitignore below `root` once; a path is ignored when any ancestor's rules say so. */
function loadGitignores(root: string): (relativePath: string) => boolean {
  const files = fg.sync("**/.gitignore", {
    cwd: root,
    dot: true,
    ignore: ["**/.git/**"],
    followSymbolicLinks: false,
  });
  if (files.length === 0) return () => false;
  const byDir = new Map<string, Ignore>();
  for (const file of files) {
    const dir = dirname(file) === "." ? "" : dirname(file);
    byDir.set(dir, ignore().add(readFileSync(join(root, file), "utf8")));
  }
  return (relativePath: string) => {
    for (const [dir, rules] of byDir) {
      if (dir !== "" && !relativePath.startsWith(`${dir}/`)) continue;
      if (rules.ignores(dir === "" ? relativePath : relativePath.slice(dir.length + 1)))
        return true;
    }
    return false;
  };
}

function isLinkToFile(file: string, displayPath: string, options: FileSourceOptions): boolean {
  try {
    if (statSync(file).isFile()) return true;
    options.onSkip({
      path: displayPath,
      reason: "symlink",
      detail: "link to a folder, not followed",
    });
  } catch {
    options.onSkip({ path: displayPath, reason: "symlink", detail: "broken link" });
  }
  return false;
}

/** Reads one file into a fragment, or reports why it was skipped. */
function readFileFragment(
  absolute: string,
  displayPath: string,
  options: FileSourceOptions,
): Fragment | undefined {
  // Size first, so a file over the limit is never read into memory.
  let bytes: Buffer;
  try {
    const size = statSync(absolute).size;
    if (size > options.maxFileSize) {
      options.onSkip({
        path: displayPath,
        reason: "too-large",
        detail: `${size} bytes > --max-file-size ${options.maxFileSize}`,
      });
      return undefined;
    }
    bytes = readFileSync(absolute);
  } catch (error) {
    options.onSkip({
      path: displayPath,
      reason: "unreadable",
      detail: (error as NodeJS.ErrnoException).code,
    });
    return undefined;
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
  return { text, path: displayPath, startLine: 1 };
}

/**
 * Working-tree files: fast-glob walks, picomatch applies the config's excludes, .gitignore
 * files are honoured, binaries and files over the size limit are skipped with a notice.
 */
export async function* fileFragments(options: FileSourceOptions): AsyncGenerator<Fragment> {
  for (const target of options.paths) {
    const absolute = resolve(options.cwd, target);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(absolute);
    } catch {
      throw new RuntimeError(`${target}: no such file or directory`);
    }
    if (stats.isFile()) {
      const fragment = readFileFragment(
        absolute,
        toPosix(relative(options.cwd, absolute)) || target,
        options,
      );
      if (fragment) yield fragment;
      continue;
    }
    const isExcluded =
      options.exclude.length > 0
        ? picomatch(options.exclude as string[], { dot: true })
        : () => false;
    const isIgnored = options.gitignore === false ? () => false : loadGitignores(absolute);
    const entries = fg.stream("**", {
      cwd: absolute,
      dot: true,
      onlyFiles: false,
      objectMode: true,
      followSymbolicLinks: false,
      suppressErrors: true,
      ignore: ["**/.git/**"],
    });
    for await (const entry of entries as AsyncIterable<fg.Entry>) {
      if (entry.dirent.isDirectory()) continue;
      const relativePath = entry.path;
      if (isExcluded(relativePath) || isIgnored(relativePath)) continue;
      const file = join(absolute, relativePath);
      const displayPath = toPosix(relative(options.cwd, file));
      // Symbolic links to files are read through (gitleaks users expect it); links to folders
      // are not followed, which rules out loops; broken links are reported.
      if (entry.dirent.isSymbolicLink() && !isLinkToFile(file, displayPath, options)) continue;
      const fragment = readFileFragment(file, displayPath, options);
      if (fragment) yield fragment;
    }
  }
}
