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
  /** The scanned git repository, when there is one (SARIF versionControlProvenance). */
  readonly repository?: RepositoryInfo;
}

export interface RepositoryInfo {
  /** Absolute URI of the repository: the origin remote, else a file:// URI of its root. */
  readonly uri: string;
  /** The commit scanned (HEAD, or the end of a range). */
  readonly revision?: string;
  readonly branch?: string;
}

export type Reporter = (input: ReportInput) => string;

/** "1 secret", "2 secrets": the count with its noun. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** How much a scan read, as a phrase: "3 blobs (0.01 MB)", "standard input (0.01 MB)". */
export function scannedAmount(summary: ScanSummary): string {
  const megabytes = `(${(summary.scannedBytes / 1024 / 1024).toFixed(2)} MB)`;
  // Standard input is read in pieces: their count says nothing.
  if (summary.source === "stdin") return `standard input ${megabytes}`;
  const unit = summary.source === "history" ? "blob" : "file";
  return `${plural(summary.scannedFragments, unit)} ${megabytes}`;
}

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
