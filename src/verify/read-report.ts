import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import type { ReportFinding, ScanSummary } from "../types.js";

/**
 * Reads a JSON report written by `keywarden ... --format json`. Only what `keywarden verify`
 * needs is checked: each finding's rule, location and fingerprint (the report holds no secret).
 */

export interface SavedReport {
  readonly findings: readonly ReportFinding[];
  readonly summary: ScanSummary;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkFinding(value: unknown, index: number, file: string): ReportFinding {
  const where = `${file}: findings[${index}]`;
  if (!isRecord(value)) throw new UsageError(`${where} is not an object`);
  for (const field of ["ruleId", "path", "fingerprint"]) {
    if (typeof value[field] !== "string" || value[field] === "") {
      throw new UsageError(`${where}: field ${field} is missing`);
    }
  }
  if (typeof value.line !== "number" || !Number.isInteger(value.line) || value.line < 1) {
    throw new UsageError(`${where}: field line is missing`);
  }
  if (
    value.commit !== undefined &&
    (typeof value.commit !== "string" || !/^[0-9a-f]{4,64}$/i.test(value.commit))
  ) {
    throw new UsageError(`${where}: field commit is not a commit id`);
  }
  return value as unknown as ReportFinding;
}

export function readReport(cwd: string, file: string): SavedReport {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${file}: cannot read the report (${code === "ENOENT" ? "no such file" : code})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not JSON; write the report with --format json`);
  }
  if (!isRecord(json) || !Array.isArray(json.findings)) {
    throw new UsageError(
      `${file}: not a keywarden JSON report (no findings list); write it with --format json`,
    );
  }
  const findings = json.findings.map((finding, index) => checkFinding(finding, index, file));
  const summary = isRecord(json.summary) ? json.summary : {};
  return {
    findings,
    summary: {
      source: (summary.source as ScanSummary["source"] | undefined) ?? "files",
      scannedFragments: typeof summary.scannedFragments === "number" ? summary.scannedFragments : 0,
      scannedBytes: typeof summary.scannedBytes === "number" ? summary.scannedBytes : 0,
      skipped: Array.isArray(summary.skipped) ? (summary.skipped as ScanSummary["skipped"]) : [],
      durationMs: 0,
    },
  };
}
