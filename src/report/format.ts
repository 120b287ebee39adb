import type { ReportFinding, ScanSummary } from "../types.js";

/** What every reporter gets: redacted findings, the scan summary and who made the report. */
export interface ReportInput {
  readonly findings: readonly ReportFinding[];
  readonly summary: ScanSummary;
  readonly tool: {
    readonly name: string;
    readonly version: string;
    readonly informationUri: string;
  };
  /** Colour for the text format on a terminal. */
  readonly color: boolean;
}

export type Reporter = (input: ReportInput) => string;

/** Findings in report order: path, line, column, rule. Output is the same for the same input. */
export function sortFindings<
  T extends { path: string; line: number; column: number; ruleId: string },
>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}
