import type { ReportFinding } from "../types.js";
import { plural, type Reporter, sortFindings } from "./format.js";

/**
 * A pull-request comment: a headline, one table row per finding, and what to do per kind of
 * key. GitHub rejects comments over 65,536 characters, so a very long table is cut with a note.
 */

/** Room left for the headline, the fix list and the cut note under GitHub's limit. */
const MAX_TABLE_CHARS = 55_000;

/** Text for a table cell: one line, pipes escaped (GFM splits cells on them), HTML inert. */
export function markdownCell(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([*_[\]`~])/g, "\\$1");
}

/** A code span that survives any backticks or pipes inside it. */
export function markdownCode(text: string): string {
  const oneLine = text.replace(/\r\n|\r|\n/g, " ").replace(/\|/g, "\\|");
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

function row(finding: ReportFinding): string {
  const location = `${finding.path}:${finding.line}:${finding.column}`;
  const commit = finding.commit ? ` (${markdownCode(finding.commit.slice(0, 12))})` : "";
  const status = finding.verification?.status ?? "not verified";
  const revocation = finding.revocation ? `, ${finding.revocation.status}` : "";
  return `| ${finding.severity} | ${markdownCell(finding.title)} | ${markdownCode(location)}${commit} | ${markdownCode(finding.secret)} | ${markdownCell(status + revocation)} | ${markdownCode(finding.fingerprint)} |`;
}

export const formatMarkdown: Reporter = ({ findings, tool }) => {
  const sorted = sortFindings(findings);
  if (sorted.length === 0) return `### ${markdownCell(tool.name)}: no secrets found\n`;

  const files = new Set(sorted.map((finding) => finding.path)).size;
  const lines = [
    `### ${markdownCell(tool.name)}: ${plural(sorted.length, "secret")} found in ${plural(files, "file")}`,
    "",
    "| Severity | Kind | Location | Secret (redacted) | Status | Fingerprint |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  let size = 0;
  let shown = 0;
  for (const finding of sorted) {
    const line = row(finding);
    if (size + line.length > MAX_TABLE_CHARS) break;
    lines.push(line);
    size += line.length + 1;
    shown++;
  }
  if (shown < sorted.length) {
    lines.push("", `…and ${plural(sorted.length - shown, "more finding")}: see the full report.`);
  }

  const fixes = new Map<string, string>();
  for (const finding of sorted)
    if (!fixes.has(finding.title)) fixes.set(finding.title, finding.remediation);
  lines.push("", "<details><summary>How to fix</summary>", "");
  for (const [title, remediation] of fixes)
    lines.push(`- **${markdownCell(title)}**: ${markdownCell(remediation)}`);
  lines.push(
    "",
    `A false positive? Add its fingerprint to \`.keywardenignore\` (\`${tool.name} ignore add FINGERPRINT --reason "…"\`).`,
    "",
    "</details>",
    "",
  );
  return lines.join("\n");
};
