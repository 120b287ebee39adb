import { resolve } from "node:path";
import { pathExists } from "../path-exists.js";

/**
 * The arguments of `staged` as the pre-commit framework builds them: the hook's entry and args,
 * then file names, with no `--` before the names. A name that looks like an option
 * (`--no-redact`, `--fail-on=none`, `-rf.env`) and names a file or link is that file: it is
 * moved after a `--`, so that a repository cannot switch the guard off, or have it print
 * secrets, by the names of its files.
 */
export function fileNamesAsPaths(args: readonly string[], cwd: string): readonly string[] {
  const isFileName = (arg: string) => arg.startsWith("-") && pathExists(resolve(cwd, arg));
  // A file named `--` comes as one more name: every `--` is then that file, never the end of
  // the options, or the names after it would hide a key in it (and in names like `--no-redact`).
  if (args.includes("--") && isFileName("--")) {
    const files = args.filter(isFileName);
    return [...args.filter((arg) => !isFileName(arg)), "--", ...files];
  }
  const end = args.indexOf("--");
  const before = end === -1 ? args : args.slice(0, end);
  const after = end === -1 ? [] : args.slice(end + 1);
  const files = before.filter(isFileName);
  if (files.length === 0) return args;
  return [...before.filter((arg) => !isFileName(arg)), "--", ...files, ...after];
}
