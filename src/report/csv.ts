import type { ReportFinding } from "../types.js";
import { type Reporter, sortFindings } from "./format.js";

/**
 * CSV (RFC 4180, CRLF line ends) for spreadsheets and ticket imports: a header, then one record
 * per finding. A value holding a line break (a file name may) is a quoted field that keeps it,
 * as RFC 4180 allows, so the path a record names is the file's own.
 */

const COLUMNS: readonly [string, (finding: ReportFinding) => string | number | undefined][] = [
  ["rule_id", (f) => f.ruleId],
  ["title", (f) => f.title],
  ["provider", (f) => f.provider],
  ["severity", (f) => f.severity],
  ["path", (f) => f.path],
  ["line", (f) => f.line],
  ["column", (f) => f.column],
  ["end_line", (f) => f.endLine],
  ["end_column", (f) => f.endColumn],
  ["secret", (f) => f.secret],
  ["fingerprint", (f) => f.fingerprint],
  ["entropy", (f) => f.entropy.toFixed(2)],
  ["commit", (f) => f.commit],
  ["author", (f) => f.author],
  ["email", (f) => f.email],
  ["date", (f) => f.date],
  ["occurrences", (f) => f.occurrences?.length],
  ["verification", (f) => f.verification?.status],
  ["revocation", (f) => f.revocation?.status],
  ["remediation", (f) => f.remediation],
];

/**
 * One CSV field. A value a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe: a scanned line is attacker-controlled text.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const formatCsv: Reporter = ({ findings }) => {
  const rows = [COLUMNS.map(([name]) => name).join(",")];
  for (const finding of sortFindings(findings)) {
    rows.push(COLUMNS.map(([, read]) => csvField(read(finding))).join(","));
  }
  return `${rows.join("\r\n")}\r\n`;
};
