import type { ReportFinding, Severity } from "../types.js";
import { escapeControls } from "./escape-controls.js";
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

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSHOWN_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** The runner's own escapes: it decodes `%25`, `%0D` and `%0A`, and nothing else. */
function escapeForRunner(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/**
 * Text for a command's message. The runner passes other control characters to the log, which
 * plays terminal escapes: those from a scanned file's name or a rule's title are shown as
 * `\x1b`... instead.
 */
export function escapeCommandData(text: string): string {
  return escapeForRunner(text.replace(UNSHOWN_CONTROLS, escapeControls));
}

/** A value for `::add-mask::`, byte for byte as the log would show it, or it would not be masked. */
export function escapeMaskValue(value: string): string {
  return escapeForRunner(value);
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
