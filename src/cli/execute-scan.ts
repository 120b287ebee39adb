import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from "../config/load-config.js";
import { RuntimeError } from "../errors.js";
import { runScan } from "../pipeline/run-scan.js";
import { toReportFinding } from "../report/redact.js";
import { REPORTERS } from "../report/registry.js";
import type { Finding, Fragment, ScanSummary, SkipNotice } from "../types.js";
import type { CommandContext } from "./io.js";
import type { ScanOptions } from "./scan-options.js";
import { describeSkips } from "./skip-notices.js";
import { toolInfo } from "./tool-info.js";

/** What a command hands over: where to look for config, and how to produce fragments. */
export interface ScanRequest {
  readonly source: ScanSummary["source"];
  /** Directory config discovery starts from (the scanned path or the repository root). */
  readonly scanRoot: string;
  readonly options: ScanOptions;
  /** Config text to use instead of discovery (the Action reads it from the base commit). */
  readonly configText?: LoadConfigOptions["configText"];
  /** Builds the fragment stream once the config is known; skips go to `onSkip`. */
  fragments(config: ResolvedConfig, onSkip: (notice: SkipNotice) => void): AsyncIterable<Fragment>;
  /** Source-specific work on the findings before suppression (history: collapse occurrences). */
  readonly afterScan?: (findings: Finding[]) => Finding[];
  /** Extra stderr lines when findings block something (the pre-commit message). */
  readonly onFindings?: (findings: readonly Finding[], context: CommandContext) => void;
}

export interface ScanOutcome {
  readonly findings: readonly Finding[];
  readonly summary: ScanSummary;
  readonly config: ResolvedConfig;
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
  const config = await loadConfig({
    cwd: io.cwd,
    scanRoot: request.scanRoot,
    ruleFiles: options.rules,
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}),
    ...(request.configText ? { configText: request.configText } : {}),
  });

  const skipped: SkipNotice[] = [];
  const result = await runScan({
    fragments: request.fragments(config, (notice) => skipped.push(notice)),
    config,
    source: request.source,
    skipped,
  });
  const findings = request.afterScan ? request.afterScan(result.findings) : result.findings;

  const remediationByRule = new Map(config.rules.map((rule) => [rule.id, rule.remediation]));
  const reporter = await REPORTERS[options.format]!();
  const report = reporter({
    findings: findings.map((finding) =>
      toReportFinding(finding, options.redactPercent, remediationByRule.get(finding.ruleId) ?? ""),
    ),
    summary: result.summary,
    tool: toolInfo(),
    color: options.color ?? (io.stdout.isTTY && !options.output && io.env.NO_COLOR === undefined),
  });
  writeReport(context, options.output, report);

  if (!options.quiet) {
    for (const line of describeSkips(skipped, options.verbose)) io.stderr.write(`${line}\n`);
  }
  if (findings.length > 0) request.onFindings?.(findings, context);
  context.exitCode = findings.length > 0 ? 1 : 0;
  return { findings, summary: result.summary, config };
}

function writeReport(context: CommandContext, output: string | undefined, report: string): void {
  if (!output) {
    context.io.stdout.write(report);
    return;
  }
  const path = resolve(context.io.cwd, output);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, report);
  } catch (error) {
    throw new RuntimeError(
      `--output ${output}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
}
