import type { ReportFinding } from "../types.js";
import { attributionText } from "./attribution.js";
import { type Reporter, sortFindings } from "./format.js";

/**
 * JUnit XML for CI dashboards (GitLab, Jenkins, Azure DevOps...): one failed testcase per
 * finding, grouped by file through `classname`. A clean scan is a suite of zero tests.
 */

/** Characters XML 1.0 cannot hold at all, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must go.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text for XML element content. A parser turns a raw CR into LF: it is written as `&#13;`. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#13;");
}

/**
 * Text for an XML attribute value. A parser reads a raw line break or tab in an attribute as a
 * space, so a file name holding one would come back changed: they are written as references.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

function details(finding: ReportFinding): string {
  const lines = [
    `${finding.title} (${finding.provider}, ${finding.severity})`,
    `location: ${finding.path}:${finding.line}:${finding.column}`,
    `secret: ${finding.secret}${finding.encoding ? ` (inside ${finding.encoding}-encoded text)` : ""}`,
    `line: ${finding.lineText.trim()}`,
    `fingerprint: ${finding.fingerprint}`,
  ];
  const attribution = attributionText(finding, { quote: (text) => text, abbreviate: false });
  if (attribution) lines.push(attribution);
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
    `    <testcase classname="${escapeXmlAttribute(finding.path)}" name="${escapeXmlAttribute(name)}" file="${escapeXmlAttribute(finding.path)}" line="${finding.line}">`,
    `      <failure type="${escapeXmlAttribute(finding.ruleId)}" message="${escapeXmlAttribute(message)}">${escapeXml(details(finding))}</failure>`,
    "    </testcase>",
  ].join("\n");
}

export const formatJunit: Reporter = ({ findings, tool }) => {
  const sorted = sortFindings(findings);
  const count = sorted.length;
  const suiteName = escapeXmlAttribute(`${tool.name} secret scan`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXmlAttribute(tool.name)}" tests="${count}" failures="${count}" errors="0">`,
    `  <testsuite name="${suiteName}" tests="${count}" failures="${count}" errors="0" skipped="0">`,
    ...sorted.map(testcase),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
};
