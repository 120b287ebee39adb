import { dirname, relative, resolve } from "node:path";
import { findUp } from "../config/find-up.js";
import { ConfigError } from "../errors.js";
import { readRegularText } from "../read-regular-file.js";
import type { Suppressions } from "./apply-suppressions.js";
import type { Baseline } from "./baseline.js";
import {
  GITLEAKS_IGNORE_FILE_NAME,
  IGNORE_FILE_NAME,
  type IgnoreFileEntry,
  parseIgnoreFile,
} from "./ignore-file.js";

export interface LoadSuppressionsOptions {
  readonly cwd: string;
  /**
   * The scanned path: the nearest .keywardenignore and .gitleaksignore from here up to the
   * repository root apply.
   */
  readonly scanRoot: string;
  /** Every path a files scan names: they must share their ignore files (see sharedNearest). */
  readonly scanRoots?: readonly string[];
  /** --ignore-file: an explicit file, which must exist. Default: the nearest .keywardenignore. */
  readonly ignoreFile?: string;
  /** --baseline FILE, which must exist. */
  readonly baselineFile?: string;
}

function display(cwd: string, file: string): string {
  return relative(cwd, file) || file;
}

/**
 * A suppression file's text, or undefined when it does not exist and `required` is false. A
 * folder or a FIFO in its place is one error line (the FIFO would wait for a writer).
 */
export function readSuppressionFile(
  file: string,
  shown: string,
  required: boolean,
  what: string,
): string | undefined {
  try {
    return readRegularText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !required) return undefined;
    if (code === "EISDIR")
      throw new ConfigError(`${shown}: ${what} is a directory, expected a file`, shown);
    throw new ConfigError(
      `${shown}: cannot read ${what} (${code === "ENOENT" ? "no such file" : (code ?? String(error))})`,
      shown,
    );
  }
}

/** Entries whose paths are written from the folder of `file`, their ignore file. */
function withBase(entries: readonly IgnoreFileEntry[], file: string): IgnoreFileEntry[] {
  const base = dirname(file);
  return entries.map((entry) => ({ ...entry, base }));
}

/**
 * The nearest file named `name` for every path scanned together. Paths under different ones
 * are refused, as paths under different configs are: the first path's file alone would apply,
 * so `scan a b` and `scan b a` would hide different keys.
 */
function sharedNearest(
  cwd: string,
  roots: readonly string[],
  name: string,
  remedy: string,
): string | undefined {
  const found = roots.map((root) => findUp(resolve(cwd, root), [name], true));
  const differing = found.findIndex((file) => file !== found[0]);
  if (differing === -1) return found[0];
  const describe = (index: number) => {
    const file = found[index];
    return `${roots[index]} (${file === undefined ? `no ${name}` : display(cwd, file)})`;
  };
  throw new ConfigError(
    `the paths given fall under different ${name} files: ${describe(0)} and ${describe(differing)}; scan them one at a time${remedy}`,
  );
}

/** Reads the ignore files and the baseline that apply to a scan of `scanRoot`. */
export async function loadSuppressions(options: LoadSuppressionsOptions): Promise<Suppressions> {
  const roots =
    options.scanRoots && options.scanRoots.length > 0 ? options.scanRoots : [options.scanRoot];
  const ignore: IgnoreFileEntry[] = [];

  const ignorePath = options.ignoreFile
    ? resolve(options.cwd, options.ignoreFile)
    : sharedNearest(
        options.cwd,
        roots,
        IGNORE_FILE_NAME,
        ", or name one for all with --ignore-file",
      );
  if (ignorePath) {
    const shown = options.ignoreFile ?? display(options.cwd, ignorePath);
    const text = readSuppressionFile(
      ignorePath,
      shown,
      options.ignoreFile !== undefined,
      "ignore file",
    );
    if (text !== undefined) ignore.push(...withBase(parseIgnoreFile(text, shown), ignorePath));
  }

  // Teams moving from gitleaks keep their .gitleaksignore working unchanged.
  const gitleaksPath = sharedNearest(options.cwd, roots, GITLEAKS_IGNORE_FILE_NAME, "");
  if (gitleaksPath) {
    const shown = display(options.cwd, gitleaksPath);
    const text = readSuppressionFile(gitleaksPath, shown, false, "gitleaks ignore file");
    if (text !== undefined) ignore.push(...withBase(parseIgnoreFile(text, shown), gitleaksPath));
  }

  let baseline: Baseline | undefined;
  if (options.baselineFile) {
    const baselinePath = resolve(options.cwd, options.baselineFile);
    const text = readSuppressionFile(baselinePath, options.baselineFile, true, "baseline")!;
    // The baseline parser brings its schema library: loaded only when a baseline is given.
    const { parseBaseline } = await import("./baseline.js");
    baseline = { ...parseBaseline(text, options.baselineFile), folder: dirname(baselinePath) };
  }
  return { ignore, ...(baseline ? { baseline } : {}) };
}
