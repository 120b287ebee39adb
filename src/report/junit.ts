import type { ReportFinding } from "../types.js";
import { type Reporter, sortFindings } from "./format.js";

/**
 * JUnit XML for CI dashboards (GitLab, Jenkins, Azure DevOps...): one failed testcase per
 * finding, grouped by file through `classname`. A clean scan is a suite of zero tests.
 */

/** Characters XML 1.0 cannot hold at all, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must go.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function details(finding: ReportFinding): string {
  const lines = [
    `${finding.title} (${finding.provider}, ${finding.severity})`,
    `location: ${finding.path}:${finding.line}:${finding.column}`,
    `secret: ${finding.secret}${finding.encoding ? ` (inside ${finding.encoding}-encoded text)` : ""}`,
    `line: ${finding.lineText.trim()}`,
    `fingerprint: ${finding.fingerprint}`,
  ];
  if (finding.commit)
    lines.push(
      `commit: ${finding.commit} by ${finding.author} <${finding.email}> on ${finding.date}`,
    );
  if (finding.verification)
    lines.push(`verification: ${finding.verification.status}: ${finding.verification.detail}`);
  if (finding.revocation)
    lines.push(`revocation: ${finding.revocation.status}: ${finding.revocation.detail}`);
  lines.push(`fix: ${finding.remediation}`);
  return lines.join("\n");
}

function testcase(finding: ReportFinding): string {
  const name = `${finding.ruleId} at ${finding.path}:${finding.line}:${finding.column}`;
  const message = `${finding.title} found: ${finding.secret}`;
  return [
    `    <testcase classname="${escapeXml(finding.path)}" name="${escapeXml(name)}" file="${escapeXml(finding.path)}" line="${finding.line}">`,
    `      <failure type="${escapeXml(finding.ruleId)}" message="${escapeXml(message)}">${escapeXml(details(finding))}</failure>`,
    "    </testcase>",
  ].join("\n");
}

export const formatJunit: Reporter = ({ findings, tool }) => {
  const sorted = sortFindings(findings);
  const count = sorted.length;
  const suiteName = escapeXml(`${tool.name} secret scan`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(tool.name)}" tests="${count}" failures="${count}" errors="0">`,
    `  <testsuite name="${suiteName}" tests="${count}" failures="${count}" errors="0" skipped="0">`,
    ...sorted.map(testcase),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
};
