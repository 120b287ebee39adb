import { styleText } from "node:util";
import { needsAttention } from "../finding-status.js";
import type { ReportFinding, ScanSummary, VerificationStatus } from "../types.js";
import { attributionText } from "./attribution.js";
import { escapeControls as inert } from "./escape-controls.js";
import { plural, type Reporter, scannedAmount, sortFindings } from "./format.js";

type Style = Parameters<typeof styleText>[0];

const STATUS_STYLE: Record<VerificationStatus, Style> = {
  live: ["bold", "red"],
  "live-restricted": ["bold", "red"],
  "rate-limited": "yellow",
  invalid: "green",
  unknown: "yellow",
  unsupported: "gray",
};

/**
 * styleText, told that the caller has decided: from Node 22.13 it otherwise drops the colour
 * when process.stdout is no terminal, which would defeat --color in a pipe or a file. (Node 20
 * never checks and ignores the option.)
 */
const forcedStyle = (style: Style, text: string): string =>
  (styleText as (style: Style, text: string, options: { validateStream: boolean }) => string)(
    style,
    text,
    { validateStream: false },
  );

function describeFinding(
  finding: ReportFinding,
  paint: (style: Style, text: string) => string,
): string {
  // Paths, titles, authors and server replies come from the scanned repository or the
  // network: each is escaped before it meets the terminal.
  const where = paint("bold", `${inert(finding.path)}:${finding.line}:${finding.column}`);
  const status = finding.verification
    ? ` ${paint(STATUS_STYLE[finding.verification.status], `[${finding.verification.status}]`)}`
    : "";
  const lines = [
    `${where}  ${paint("red", inert(finding.title))} (${finding.ruleId})${status}`,
    `    secret: ${inert(finding.secret)}${finding.encoding ? ` (inside ${finding.encoding}-encoded text)` : ""}`,
  ];
  const attribution = attributionText(finding, { quote: inert, abbreviate: true });
  if (attribution) {
    const count =
      finding.occurrences && finding.occurrences.length > 1
        ? `, seen ${finding.occurrences.length} times`
        : "";
    lines.push(`    ${attribution}${count}`);
  }
  if (finding.verification?.detail) lines.push(`    verify: ${inert(finding.verification.detail)}`);
  if (finding.revocation)
    lines.push(`    revoke: ${finding.revocation.status}: ${inert(finding.revocation.detail)}`);
  lines.push(`    fingerprint: ${finding.fingerprint}`);
  lines.push(`    ${paint("cyan", "fix:")} ${inert(finding.remediation)}`);
  return lines.join("\n");
}

/**
 * One line saying what a scan found and read: the text report's last line, and what a scan
 * whose report went to a file says on standard error.
 */
export function scanHeadline(findings: readonly ReportFinding[], summary: ScanSummary): string {
  const secrets = new Set(findings.map((finding) => finding.fingerprint)).size;
  const scanned = `${scannedAmount(summary)} in ${summary.durationMs} ms`;
  const skipped = summary.skipped.length > 0 ? `, ${summary.skipped.length} skipped` : "";
  return findings.length === 0
    ? `No secrets found: ${scanned}${skipped}.`
    : `${plural(findings.length, "finding")} (${plural(secrets, "distinct secret")}): ${scanned}${skipped}.`;
}

/** Human-readable report for a terminal or a log. */
export const formatText: Reporter = ({ findings, summary, color }) => {
  const paint = (style: Style, text: string) => (color ? forcedStyle(style, text) : text);
  const sorted = sortFindings(findings);
  const blocks = sorted.map((finding) => describeFinding(finding, paint));
  const headline = paint(
    sorted.length === 0 ? "green" : ["bold", "red"],
    scanHeadline(sorted, summary),
  );
  // A dry run's planned revocations are keywarden's to do once run with --yes, not the user's.
  const manual = sorted.filter((f) => needsAttention(f) && f.revocation?.status !== "planned");
  const todo =
    manual.length > 0
      ? [
          "",
          paint("bold", "Still to do by hand:"),
          ...manual.map(
            (f) =>
              `  - ${inert(f.title)} at ${inert(f.path)}:${f.line}: ${inert(f.revocation!.detail)}${f.revocation!.url ? ` (${inert(f.revocation!.url)})` : ""}`,
          ),
        ]
      : [];
  return `${[...blocks, ...(blocks.length > 0 ? [""] : []), headline, ...todo].join("\n")}\n`;
};
