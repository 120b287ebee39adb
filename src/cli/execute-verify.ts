import { loadConfig } from "../config/load-config.js";
import { lineRedactorFor, withDetailRedacted } from "../report/redact.js";
import { REPORTERS } from "../report/registry.js";
import { readReportToRecheck } from "../sources/report-file.js";
import { toolInfo } from "../tool-info.js";
import type { ReportFinding } from "../types.js";
import { recoverSecrets } from "../verify/recover-secrets.js";
import { assertWritable, shouldColor, writeReport } from "./execute-scan.js";
import type { CommandContext } from "./io.js";
import type { ScanOptions } from "./scan-options.js";
import { verifyIfAsked } from "./verify-if-asked.js";
import { failOnExitCode, reportedFindings } from "./verify-options.js";

/**
 * `keywarden verify REPORT.json`: finds each reported secret again at its recorded place,
 * verifies it, and writes the report again with fresh verification results. Loaded only when
 * the command runs.
 */
export async function executeVerify(
  context: CommandContext,
  reportFile: string,
  options: ScanOptions,
): Promise<void> {
  const { io } = context;
  assertWritable(context, options.output);
  const { saved, shown } = readReportToRecheck(io.cwd, reportFile, options.redactPercent);
  const config = await loadConfig({
    cwd: io.cwd,
    scanRoot: io.cwd,
    ruleFiles: options.rules,
    ...(options.config !== undefined ? { configPath: options.config } : {}),
  });
  const recovered = await recoverSecrets(saved.findings, {
    cwd: io.cwd,
    env: io.env,
    config,
    fromIndex: saved.summary.source === "staged",
    fromStdin: saved.summary.source === "stdin",
  });
  const found = recovered.flatMap((item) => ("finding" in item ? [item.finding] : []));
  const verified = await verifyIfAsked(context, config.rules, options.verify, options.quiet, found);

  // A provider's answer may quote the key.
  const redactLine = lineRedactorFor(found, options.redactPercent);
  const checkedAt = new Date().toISOString();
  let next = 0;
  const findings: ReportFinding[] = recovered.map((item) => {
    const record = shown(item.report);
    if ("missing" in item) {
      return {
        ...record,
        verification: { status: "unknown", checkedAt, detail: item.missing },
      };
    }
    // Keep the report's own record (location, commit); refresh only the verdict.
    const verification = verified[next++]!.verification;
    return verification
      ? { ...record, verification: withDetailRedacted(verification, redactLine) }
      : record;
  });
  const reported = reportedFindings(findings, options.verify);

  const reporter = await REPORTERS[options.format]!();
  const text = reporter({
    findings: reported,
    summary: saved.summary,
    tool: toolInfo(),
    color: shouldColor(io, options.color, options.output),
  });
  writeReport(context, options.output, text);
  context.exitCode = failOnExitCode(reported, options.verify);
}
