import { writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { repositoryTop } from "../config/find-up.js";
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from "../config/load-config.js";
import { RuntimeError } from "../errors.js";
import { makeFolders, reasonOf, whyNotWritable } from "../make-folders.js";
import { runScan } from "../pipeline/run-scan.js";
import { pathInside } from "../posix-path.js";
import { escapeControls } from "../report/escape-controls.js";
import { toReportFindings } from "../report/redact.js";
import { REPORTERS } from "../report/registry.js";
import { scanHeadline } from "../report/text.js";
import {
  applySuppressions,
  describeUnusedEntries,
  type Suppressions,
} from "../suppress/apply-suppressions.js";
import { applyInlineAllow } from "../suppress/inline-allow.js";
import { loadSuppressions } from "../suppress/load-suppressions.js";
import { toolInfo } from "../tool-info.js";
import type { Finding, Fragment, ReportFinding, ScanSummary, SkipNotice } from "../types.js";
import { gitleaksConfigNotice } from "./gitleaks-config-notice.js";
import type { CliIo, CommandContext } from "./io.js";
import type { ScanOptions } from "./scan-options.js";
import { describeSkips, describeUnread, UNREAD_REASONS } from "./skip-notices.js";
import { checkVerifyEnvironment, verifyIfAsked } from "./verify-if-asked.js";
import { failOnExitCode, reportedFindings } from "./verify-options.js";

/** What a command hands over: where to look for config, and how to produce fragments. */
export interface ScanRequest {
  readonly source: ScanSummary["source"];
  /** Directory config discovery starts from (the scanned path or the repository root). */
  readonly scanRoot: string;
  /** Every path a files scan names; they must share one config (see loadConfig). */
  readonly scanRoots?: readonly string[];
  readonly options: ScanOptions;
  /** Config text to use instead of discovery (the Action reads it from the base commit). */
  readonly configText?: LoadConfigOptions["configText"];
  /** Ignore entries already read, used instead of discovery (the Action reads them from the base commit). */
  readonly suppressions?: Suppressions;
  /** Builds the fragment stream once the config is known; skips go to `onSkip`. */
  fragments(config: ResolvedConfig, onSkip: (notice: SkipNotice) => void): AsyncIterable<Fragment>;
  /**
   * History: each finding also at the places that added its blob again (read once, seen once),
   * before suppression, so an entry for one path leaves the copies at other paths reported.
   */
  readonly everyPlace?: (findings: Finding[]) => Finding[];
  /** Source-specific work on the findings after suppression (history: collapse occurrences). */
  readonly afterSuppression?: (findings: Finding[]) => Finding[];
  /** False: return the findings after suppression, with no verify, report or exit code (baseline create). */
  readonly report?: boolean;
  /** Extra stderr lines when findings block something (the pre-commit message). */
  readonly onFindings?: (
    findings: readonly Finding[],
    context: CommandContext,
  ) => void | Promise<void>;
}

export interface ScanOutcome {
  readonly findings: readonly Finding[];
  /** Findings an inline allow comment suppressed (see suppress/inline-allow.ts; the Action lists them). */
  readonly allowedInline: readonly Finding[];
  readonly summary: ScanSummary;
  readonly config: ResolvedConfig;
}

/**
 * Formats whose paths are read from the repository's top: SARIF's %SRCROOT% and GitHub's
 * annotations. A files scan names paths from the current folder, which may be a subfolder.
 */
const FROM_REPOSITORY_TOP = new Set(["sarif", "github"]);

/**
 * Paths from the top of the scanned path's repository for the files inside it; others as they
 * were, or for SARIF absolute: its relative URIs all resolve against that one top (%SRCROOT%),
 * so a file of a second repository or folder named alongside needs a URI of its own.
 */
function fromRepositoryTop(
  findings: readonly ReportFinding[],
  cwd: string,
  scanRoot: string,
  format: string,
): ReportFinding[] {
  const top = repositoryTop(resolve(cwd, scanRoot));
  if (top === undefined) return [...findings];
  return findings.map((finding) => {
    const path = resolve(cwd, finding.path);
    const inside = pathInside(top, path);
    if (inside !== undefined)
      return inside === finding.path ? finding : { ...finding, path: inside };
    return format === "sarif" ? { ...finding, path } : finding;
  });
}

/**
 * The one path every scanning command takes: config → sources → engine → suppression →
 * report → exit code. Commands only describe their source.
 */
export async function executeScan(
  context: CommandContext,
  request: ScanRequest,
): Promise<ScanOutcome> {
  const { io } = context;
  const { options } = request;
  if (request.report !== false) assertWritable(context, options.output);
  await checkVerifyEnvironment(context, options.verify);
  const config = await loadConfig({
    cwd: io.cwd,
    scanRoot: request.scanRoot,
    ...(request.scanRoots ? { scanRoots: request.scanRoots } : {}),
    ruleFiles: options.rules,
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}),
    ...(request.configText ? { configText: request.configText } : {}),
  });
  // A config with `useDefault: false` and no rules of its own (as an import of a gitleaks
  // config holding only allowlists gives) finds nothing, and would pass every scan unnoticed.
  if (!config.rules.some((rule) => rule.report)) {
    const file = config.configFile;
    io.stderr.write(
      `keywarden: warning: ${file ? relative(io.cwd, file) || file : "the config"} leaves no rule to scan with (useDefault: false and no rules of its own, or every rule disabled): nothing can be found\n`,
    );
  }
  // A .gitleaks.toml and no config of keywarden's: its rules and allowlists silently not applying
  // is the one thing a team switching from gitleaks must hear. The pre-commit hook, quiet when
  // clean, says it only when it blocks a commit.
  const writeGitleaksNotice = () => {
    if (config.configFile !== undefined || request.configText !== undefined || options.quiet)
      return;
    const notice = gitleaksConfigNotice(io.cwd, request.scanRoot);
    if (notice) io.stderr.write(notice);
  };
  if (request.source !== "staged") writeGitleaksNotice();
  // Read before scanning: a broken ignore file or baseline fails in a second, not after a history scan.
  const suppressions =
    request.suppressions ??
    (await loadSuppressions({
      cwd: io.cwd,
      scanRoot: request.scanRoot,
      ...(request.scanRoots ? { scanRoots: request.scanRoots } : {}),
      ...(options.ignoreFile !== undefined ? { ignoreFile: options.ignoreFile } : {}),
      ...(options.baseline !== undefined ? { baselineFile: options.baseline } : {}),
    }));

  const skipped: SkipNotice[] = [];
  const result = await runScan({
    fragments: request.fragments(config, (notice) => skipped.push(notice)),
    config,
    source: request.source,
    skipped,
  });
  // Inline allow comments first: they are part of the scanned text, so every source honours them.
  const inline = applyInlineAllow(result.findings);
  const placed = request.everyPlace ? request.everyPlace(inline.kept) : inline.kept;
  // Files scans name paths from here; git sources from the repository's top.
  const gitSource = request.source !== "files" && request.source !== "stdin";
  const pathsFrom = gitSource ? (repositoryTop(io.cwd) ?? io.cwd) : io.cwd;
  const suppression = applySuppressions(placed, suppressions, pathsFrom);
  if (options.reportUnusedIgnores) io.stderr.write(describeUnusedEntries(suppression.unused));
  const kept = request.afterSuppression
    ? request.afterSuppression(suppression.findings)
    : suppression.findings;
  if (request.report === false)
    return { findings: kept, allowedInline: inline.allowed, summary: result.summary, config };
  const verified = await verifyIfAsked(context, config.rules, options.verify, options.quiet, kept);
  const findings = reportedFindings(verified, options.verify);

  const remediationByRule = new Map(config.rules.map((rule) => [rule.id, rule.remediation]));
  const reporter = await REPORTERS[options.format]!();
  // Only SARIF names the repository; other formats skip the git calls.
  const repository =
    options.format === "sarif"
      ? await (await import("../git/repository-info.js")).repositoryInfo(request.scanRoot, io)
      : undefined;
  // Every secret the scan found is hidden in every line, the suppressed ones' included.
  const reported = toReportFindings(
    findings,
    options.redactPercent,
    (finding) => remediationByRule.get(finding.ruleId) ?? "",
    result.findings,
  );
  const report = reporter({
    findings:
      FROM_REPOSITORY_TOP.has(options.format) && request.source === "files"
        ? fromRepositoryTop(reported, io.cwd, request.scanRoot, options.format)
        : reported,
    summary: result.summary,
    tool: toolInfo(),
    ...(repository ? { repository } : {}),
    color: shouldColor(io, options.color, options.output),
  });
  // Quiet when clean: a pre-commit hook (or --quiet) says nothing about a commit with no key.
  const silent =
    options.format === "text" &&
    !options.output &&
    findings.length === 0 &&
    (options.quiet || request.source === "staged");
  if (!silent) writeReport(context, options.output, report);
  // A report written to a file leaves the terminal blank, and JSON lines hold findings alone:
  // one line on stderr says what the scan found, as gitleaks' "leaks found" does. (The hook
  // says it in its own words when it blocks a commit.)
  const toFile = options.output !== undefined && options.output !== STANDARD_OUTPUT;
  if (!options.quiet && (toFile || (options.format === "jsonl" && request.source !== "staged"))) {
    const where = toFile ? ` Report written to ${escapeControls(options.output!)}.` : "";
    io.stderr.write(`keywarden: ${scanHeadline(reported, result.summary)}${where}\n`);
  }

  // The summary's list: the source's notices and those of the scan itself (rule-overflow).
  const unread = listSkipped(io, result.summary.skipped, options);
  context.exitCode = failOnExitCode(findings, options.verify);
  if (request.source === "staged" && findings.length > 0) writeGitleaksNotice();
  if (context.exitCode === 1) await request.onFindings?.(findings, context);
  // A scan that could not read part of its input is not a clean result, whatever it found.
  if (sayIncomplete(io, unread)) context.exitCode = 2;
  return { findings, allowedInline: inline.allowed, summary: result.summary, config };
}

/**
 * Lists on stderr what a scan skipped (with --quiet only what it could not read: a scan that
 * missed content says so) and returns what it could not read.
 */
export function listSkipped(
  io: CliIo,
  skipped: readonly SkipNotice[],
  options: Pick<ScanOptions, "quiet" | "verbose">,
): SkipNotice[] {
  const unread = skipped.filter((s) => UNREAD_REASONS.has(s.reason));
  for (const line of describeSkips(options.quiet ? unread : skipped, options.verbose)) {
    io.stderr.write(`${line}\n`);
  }
  return unread;
}

/** Says the scan is incomplete when it could not read part of its input (the caller exits 2). */
export function sayIncomplete(io: CliIo, unread: readonly SkipNotice[]): boolean {
  if (unread.length === 0) return false;
  io.stderr.write(
    `keywarden: incomplete scan: ${describeUnread(unread)} (listed above); exit code 2\n`,
  );
  return true;
}

/**
 * --color or --no-color, else colour only into a terminal, not into a file, and not under a
 * NO_COLOR that is set and not empty (no-color.org).
 */
export function shouldColor(
  io: CliIo,
  color: boolean | undefined,
  output: string | undefined,
): boolean {
  return color ?? (io.stdout.isTTY && !output && !io.env.NO_COLOR);
}

/** Fails at once when --output cannot be written, rather than after the scan it would report. */
export function assertWritable(
  context: CommandContext,
  output: string | undefined,
  what = "report",
): void {
  const reason =
    output === undefined || output === STANDARD_OUTPUT
      ? undefined
      : whyNotWritable(context.io.cwd, output);
  if (reason !== undefined) {
    throw new RuntimeError(`--output ${output}: cannot write the ${what} (${reason})`);
  }
}

/** `--output -`: standard output, as for `keywarden import gitleaks`. */
export const STANDARD_OUTPUT = "-";

/** To standard output, or with --output to that file (folders made); `what` names it in errors. */
export function writeReport(
  context: CommandContext,
  output: string | undefined,
  report: string,
  what = "report",
): void {
  if (!output || output === STANDARD_OUTPUT) {
    context.io.stdout.write(report);
    return;
  }
  const path = resolve(context.io.cwd, output);
  try {
    makeFolders(context.io.cwd, dirname(output));
    writeFileSync(path, report);
  } catch (error) {
    throw new RuntimeError(`--output ${output}: cannot write the ${what} (${reasonOf(error)})`);
  }
}
