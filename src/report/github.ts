import type { ReportFinding, Severity } from "../types.js";
import { type Reporter, sortFindings } from "./format.js";

/**
 * GitHub Actions workflow commands: one `::error file=…,line=…,col=…::message` per finding, shown
 * as an annotation on the line in the pull request. Escaping follows the runner's rules:
 * `%`, CR and LF in the message; also `:` and `,` in property values.
 */

export const COMMAND: Record<Severity, "error" | "warning" | "notice"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "notice",
  info: "notice",
};

export function escapeCommandData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function annotation(finding: ReportFinding): string {
  const properties = [
    `file=${escapeCommandProperty(finding.path)}`,
    `line=${finding.line}`,
    `col=${finding.column}`,
    `endLine=${finding.endLine}`,
    ...(finding.endLine === finding.line ? [`endColumn=${finding.endColumn}`] : []),
    `title=${escapeCommandProperty(`${finding.title} (${finding.ruleId})`)}`,
  ];
  const status = finding.verification ? ` [${finding.verification.status}]` : "";
  const commit = finding.commit ? ` Commit ${finding.commit.slice(0, 12)}.` : "";
  const message = `Secret ${finding.secret}${status}.${commit} ${finding.remediation} Fingerprint: ${finding.fingerprint}`;
  return `::${COMMAND[finding.severity]} ${properties.join(",")}::${escapeCommandData(message)}`;
}

export const formatGithub: Reporter = ({ findings }) => {
  const sorted = sortFindings(findings);
  return sorted.map((finding) => `${annotation(finding)}\n`).join("");
};
