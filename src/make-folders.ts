import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, normalize, parse, resolve } from "node:path";

/** Why a folder could not be made, in words, for the codes a user can act on. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  ENOENT: "no such file or directory",
  EEXIST: "something that is not a folder is in the way",
};

/**
 * Makes the folder `dir` (relative to `cwd`, or absolute) and any missing parents, one level at
 * a time from the nearest existing ancestor down. Node 20's recursive mkdirSync loops forever
 * where the kernel refuses a folder with ENOENT (under /proc) and calls a file in the way
 * EEXIST; walking the levels ourselves gives one clear message instead. Messages name folders
 * as `dir` spells them.
 */
export function makeFolders(cwd: string, dir: string): void {
  const missing: string[] = [];
  let folder = normalize(dir);
  for (; !isExistingFolder(cwd, folder); folder = dirname(folder)) {
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const level of missing) {
    try {
      mkdirSync(resolve(cwd, level));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(`cannot create folder ${level}: ${REASONS[code] ?? code}`);
    }
  }
}

/** True for a folder; false when nothing is there; a file in the way is an error of its own. */
function isExistingFolder(cwd: string, folder: string): boolean {
  let isFolder: boolean;
  try {
    isFolder = statSync(resolve(cwd, folder)).isDirectory();
  } catch (error) {
    // ENOTDIR: a file further up; the walk goes on up to it and names it.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw error;
  }
  if (!isFolder) throw new Error(`${folder} is not a directory`);
  return true;
}

/**
 * Why the file `file` (relative to `cwd`) could not be written, or undefined when it likely can:
 * asked before a long scan, so a report that cannot be written fails at once, not after it. A
 * missing file needs its nearest existing folder writable (makeFolders makes the rest).
 */
export function whyNotWritable(cwd: string, file: string): string | undefined {
  let at = normalize(file);
  for (;;) {
    try {
      const isFolder = statSync(resolve(cwd, at)).isDirectory();
      if (at === normalize(file) && isFolder) return "it is a folder";
      if (at !== normalize(file) && !isFolder) return `${at} is not a directory`;
      accessSync(resolve(cwd, at), isFolder ? constants.W_OK | constants.X_OK : constants.W_OK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") return REASONS[code ?? ""] ?? reasonOf(error);
    }
    if (dirname(at) === at) return undefined;
    at = dirname(at);
  }
}

/** makeFolders for an absolute folder. */
export function makeFoldersAt(absolute: string): void {
  makeFolders(parse(absolute).root, absolute);
}

/** Why a folder or file could not be made: an fs error's code, or makeFolders' own words. */
export function reasonOf(error: unknown): string {
  return (
    (error as NodeJS.ErrnoException).code ??
    (error instanceof Error ? error.message : String(error))
  );
}
