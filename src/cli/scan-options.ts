import type { Argv } from "yargs";
import { parseSize } from "../config/load-config.js";
import { UsageError } from "../errors.js";
import { DEFAULT_REDACT_PERCENT } from "../report/redact.js";
import { FORMAT_NAMES } from "../report/registry.js";
import { DEBUG_OPTION } from "./debug-option.js";
import { type OptionSpec, withOptions } from "./option-spec.js";
import { readVerifyOptions, type VerifyCliOptions, withVerifyOptions } from "./verify-options.js";

/** Options every scanning command (scan, stdin, staged, history) shares, after the verify ones. */
export const SCAN_OPTIONS: readonly OptionSpec[] = [
  {
    name: "config",
    alias: "c",
    type: "string",
    describe: "Config file (default: .keywarden.yaml from the scanned path upward)",
  },
  {
    name: "rules",
    type: "string",
    array: true,
    describe: "Extra rule file or folder of rule files (repeatable)",
  },
  {
    name: "format",
    alias: "f",
    type: "string",
    choices: FORMAT_NAMES,
    default: "text",
    describe: "Report format",
  },
  {
    name: "output",
    alias: "o",
    type: "string",
    describe: "Write the report to this file instead of standard output (- for standard output)",
  },
  {
    name: "redact",
    describe: "Hide this percentage of each secret (default 80); --no-redact shows secrets in full",
    default: DEFAULT_REDACT_PERCENT,
    defaultDescription: String(DEFAULT_REDACT_PERCENT),
  },
  {
    name: "color",
    type: "boolean",
    describe: "Colour the text report (default: when standard output is a terminal)",
  },
  {
    name: "quiet",
    alias: "q",
    type: "boolean",
    default: false,
    describe: "Print findings only: no summary line when clean, no skip notices, no progress",
  },
  { name: "verbose", type: "boolean", default: false, describe: "List every skipped file" },
  {
    name: "baseline",
    type: "string",
    describe: "Report only findings not in this baseline (keywarden baseline create)",
  },
  {
    name: "ignore-file",
    type: "string",
    describe:
      "Ignore file (default: the nearest .keywardenignore; .gitleaksignore is honoured too)",
  },
  {
    name: "report-unused-ignores",
    type: "boolean",
    default: false,
    describe: "List ignore-file entries that matched nothing in this scan",
  },
  {
    name: "max-file-size",
    type: "string",
    describe: "Skip files larger than this (e.g. 500KB, 10MB; default 10MB; 0: no limit)",
  },
  DEBUG_OPTION,
];

export function withScanOptions<T>(yargs: Argv<T>): Argv<T> {
  return withOptions(withVerifyOptions(yargs, true), SCAN_OPTIONS);
}

/**
 * What `keywarden verify REPORT` reads besides the verification options: it scans nothing and
 * rewrites a report already redacted, so the scan's suppression, size and redaction flags would
 * be silently ignored there; yargs refuses them instead.
 */
const REPORT_VERIFY_OPTIONS = new Set([
  "config",
  "rules",
  "format",
  "output",
  "color",
  "quiet",
  "debug",
  // What the new report shows: a --no-redact report is redacted again unless asked not to.
  "redact",
]);

export function withReportVerifyOptions<T>(yargs: Argv<T>): Argv<T> {
  return withOptions(
    withVerifyOptions(yargs, false),
    SCAN_OPTIONS.filter((spec) => REPORT_VERIFY_OPTIONS.has(spec.name)),
  );
}

export interface ScanOptions {
  readonly config?: string;
  readonly rules: readonly string[];
  readonly format: string;
  readonly output?: string;
  readonly redactPercent: number;
  readonly color?: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly maxFileSize?: number;
  readonly verify: VerifyCliOptions;
  /** --baseline FILE. */
  readonly baseline?: string;
  /** --ignore-file FILE. */
  readonly ignoreFile?: string;
  readonly reportUnusedIgnores: boolean;
}

/**
 * --redact as a percentage: bare flag the default, --no-redact 0, else 0 to 100. Given more
 * than once, the last one counts, as for every flag (main.ts keeps only the last value).
 */
export function readRedact(value: unknown): number {
  if (value === false) return 0;
  if (value === true || value === undefined || value === "") return DEFAULT_REDACT_PERCENT;
  const percent = Number(value);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new UsageError(`--redact: "${String(value)}" is not a percentage from 0 to 100`);
  }
  return percent;
}

/** A file option's value; `--config=` names no file, which must not pass for "none given". */
function fileOption(argv: Record<string, unknown>, name: string): string | undefined {
  const value = argv[name];
  if (value === undefined) return undefined;
  if (value === "") throw new UsageError(`--${name}: needs a file name`);
  return value as string;
}

export function readScanOptions(argv: Record<string, unknown>): ScanOptions {
  if (argv.quiet === true && argv.verbose === true) {
    throw new UsageError("--quiet and --verbose contradict each other: pick one");
  }
  const maxFileSize = argv["max-file-size"] as string | undefined;
  const baseline = fileOption(argv, "baseline");
  const ignoreFile = fileOption(argv, "ignore-file");
  const output = fileOption(argv, "output");
  return {
    config: fileOption(argv, "config"),
    rules: (argv.rules as string[] | undefined) ?? [],
    format: argv.format as string,
    // `-o -` is standard output, as when no --output is given (colour then as on a terminal).
    output: output === "-" ? undefined : output,
    redactPercent: readRedact(argv.redact),
    color: argv.color as boolean | undefined,
    quiet: argv.quiet === true,
    verbose: argv.verbose === true,
    verify: readVerifyOptions(argv, false),
    reportUnusedIgnores: argv["report-unused-ignores"] === true,
    ...(baseline !== undefined ? { baseline } : {}),
    ...(ignoreFile !== undefined ? { ignoreFile } : {}),
    ...(maxFileSize !== undefined
      ? { maxFileSize: parseSize(maxFileSize, "--max-file-size") }
      : {}),
  };
}
