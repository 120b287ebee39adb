import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { readRegularText } from "../read-regular-file.js";
import { readJsonReport, redactAgain, type SavedReport } from "../report/read-json-report.js";
import type { ReportFinding } from "../types.js";

/**
 * Reads a report file written with `--format json`, its secrets redacted again at
 * `redactPercent` where it holds them in full (0: as saved).
 */
export function readReportFile(cwd: string, file: string, redactPercent: number): SavedReport {
  let text: string;
  try {
    text = readRegularText(resolve(cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${file}: cannot read the report (${code === "ENOENT" ? "no such file" : (code ?? String(error))})`,
      file,
    );
  }
  return readJsonReport(text, file, redactPercent);
}

/**
 * A report read for `verify` and `revoke`: as saved (they find its secrets again), and each
 * record as the new report shows it, hidden again at `redactPercent` if it was saved with
 * --no-redact.
 */
export function readReportToRecheck(
  cwd: string,
  file: string,
  redactPercent: number,
): { readonly saved: SavedReport; readonly shown: (record: ReportFinding) => ReportFinding } {
  const saved = readReportFile(cwd, file, 0);
  const redacted = redactAgain(saved.findings, redactPercent);
  const byRecord = new Map(saved.findings.map((record, index) => [record, redacted[index]!]));
  return { saved, shown: (record) => byRecord.get(record) ?? record };
}
