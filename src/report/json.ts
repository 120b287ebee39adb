import { type Reporter, sortFindings } from "./format.js";

/** Version of the JSON report layout; bumped on incompatible changes. */
export const JSON_REPORT_VERSION = 1;

export const formatJson: Reporter = ({ findings, summary, tool }) =>
  `${JSON.stringify(
    {
      version: JSON_REPORT_VERSION,
      tool: { name: tool.name, version: tool.version },
      findings: sortFindings(findings),
      summary: {
        source: summary.source,
        findings: findings.length,
        scannedFragments: summary.scannedFragments,
        scannedBytes: summary.scannedBytes,
        skipped: summary.skipped,
      },
    },
    null,
    2,
  )}\n`;
