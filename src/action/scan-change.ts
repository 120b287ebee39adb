import { executeScan } from "../cli/execute-scan.js";
import type { CliIo, CommandContext } from "../cli/io.js";
import type { ScanOptions } from "../cli/scan-options.js";
import { verifyIfAsked } from "../cli/verify-if-asked.js";
import type { VerifyCliOptions } from "../cli/verify-options.js";
import type { ResolvedConfig } from "../config/load-config.js";
import { changeContext } from "../engine/change-context.js";
import { aggregateOccurrences } from "../pipeline/aggregate-occurrences.js";
import { excludeMatcher } from "../sources/git-source-options.js";
import { historyScanFragments } from "../sources/history-scan.js";
import type { Finding, ScanSummary } from "../types.js";
import type { ScanTarget } from "./prepare-commits.js";
import type { TrustedConfig } from "./trusted-config.js";

/**
 * The scan itself, in-process, through the same path as `keywarden history`: config (here the
 * trusted one), git source, engine, inline allows, suppression, verification.
 */

export interface ScanChangeInput {
  readonly io: CliIo;
  /** The repository's top directory. */
  readonly root: string;
  /** Undefined: every blob of every ref. */
  readonly target?: ScanTarget;
  readonly trusted: TrustedConfig;
  readonly verify: VerifyCliOptions;
  readonly onNote: (text: string) => void;
}

export interface ScanChangeResult {
  /** One per key (rule and secret), with every place it was seen. */
  readonly findings: Finding[];
  /** Findings an inline allow comment (`keywarden:allow`, `gitleaks:allow`…) kept out. */
  readonly allowedInline: readonly Finding[];
  readonly summary: ScanSummary;
  readonly config: ResolvedConfig;
}

export async function scanChange(input: ScanChangeInput): Promise<ScanChangeResult> {
  const { io, root, target, trusted } = input;
  const context: CommandContext = { io, exitCode: 0 };
  const options: ScanOptions = {
    ...(trusted.configPath !== undefined ? { config: trusted.configPath } : {}),
    rules: [],
    format: "json",
    redactPercent: 100,
    quiet: true,
    verbose: false,
    verify: input.verify,
    reportUnusedIgnores: false,
  };
  const outcome = await executeScan(context, {
    source: target && "range" in target ? "range" : "history",
    scanRoot: root,
    options,
    ...(trusted.configText ? { configText: trusted.configText } : {}),
    ...(trusted.suppressions ? { suppressions: trusted.suppressions } : {}),
    fragments: (config, onSkip) =>
      historyScanFragments({
        cwd: root,
        env: io.env,
        maxFileSize: config.maxFileSize,
        onSkip,
        isExcluded: excludeMatcher(config.exclude),
        ...(target && "range" in target
          ? { range: target.range, contextAround: changeContext(config.rules) }
          : {}),
        ...(target && "branch" in target ? { branch: target.branch } : {}),
        onNote: input.onNote,
      }),
    afterSuppression: aggregateOccurrences,
    report: false,
  });
  const findings = await verifyIfAsked(
    context,
    outcome.config.rules,
    input.verify,
    true,
    outcome.findings,
  );
  return {
    findings,
    allowedInline: outcome.allowedInline,
    summary: outcome.summary,
    config: outcome.config,
  };
}
