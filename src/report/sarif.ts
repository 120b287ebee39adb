import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import type { ReportFinding, Severity } from "../types.js";
import { type Reporter, sortFindings } from "./format.js";

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one rule descriptor per rule
 * that fired (with help text), one result per finding with its region, a content-based
 * partialFingerprint (so an alert survives line moves) and, for git sources, the commit.
 * Written as plain typed objects: the format is small and a builder would add nothing.
 */

const SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/**
 * Key of our fingerprint in partialFingerprints (versioned, as the spec suggests): the secret's
 * fingerprint and its file. Code scanning takes results with equal fingerprints for one alert,
 * and the same key leaked in two files is two places to clean.
 */
export const SARIF_FINGERPRINT_KEY = "secretFingerprint/v2";

/** The partial fingerprint of a finding (see SARIF_FINGERPRINT_KEY). */
export function sarifFingerprint(finding: Pick<ReportFinding, "fingerprint" | "path">): string {
  return `${finding.fingerprint}:${finding.path}`;
}

const LEVEL: Record<Severity, Sarif.Result.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/** GitHub ranks code scanning alerts by this number (critical > 9, high 7-8.9, ...). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

/** A repository-relative path as a relative URI reference (spaces, `#`, `%`... escaped). */
export function pathToUri(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/%21/g, "!"))
    .join("/");
}

/**
 * Where a result is: relative to the repository's top (%SRCROOT%); a file outside it (a second
 * repository scanned alongside) comes with an absolute path and gets its own file URI.
 */
function artifactLocation(path: string): Sarif.ArtifactLocation {
  return isAbsolute(path)
    ? { uri: pathToFileURL(path).href }
    : { uri: pathToUri(path), uriBaseId: "%SRCROOT%" };
}

function ruleDescriptor(finding: ReportFinding): Sarif.ReportingDescriptor {
  const help = `${finding.remediation}\n\nProvider: ${finding.provider}. Severity: ${finding.severity}.`;
  return {
    id: finding.ruleId,
    name: finding.ruleId,
    shortDescription: { text: finding.title },
    fullDescription: {
      text: `${finding.title} (${finding.provider}) found in the scanned content.`,
    },
    help: {
      text: help,
      markdown: `**${finding.title}**\n\n${finding.remediation}\n\nProvider: \`${finding.provider}\`. Severity: ${finding.severity}.`,
    },
    defaultConfiguration: { level: LEVEL[finding.severity] },
    properties: {
      tags: [...new Set(["security", "secret", ...finding.tags])],
      precision: "high",
      "security-severity": SECURITY_SEVERITY[finding.severity],
      provider: finding.provider,
    },
  };
}

function resultMessage(finding: ReportFinding): string {
  const status = finding.verification ? ` Verification: ${finding.verification.status}.` : "";
  const encoded = finding.encoding ? ` (inside ${finding.encoding}-encoded text)` : "";
  return `${finding.title} found: ${finding.secret}${encoded}.${status} ${finding.remediation}`;
}

function resultProperties(finding: ReportFinding): Sarif.PropertyBag {
  return {
    provider: finding.provider,
    severity: finding.severity,
    entropy: finding.entropy,
    fingerprint: finding.fingerprint,
    ...(finding.commit
      ? { commit: finding.commit, author: finding.author, date: finding.date }
      : {}),
    ...(finding.occurrences ? { occurrences: finding.occurrences.length } : {}),
    ...(finding.verification ? { verification: finding.verification.status } : {}),
    ...(finding.revocation ? { revocation: finding.revocation.status } : {}),
  };
}

function result(finding: ReportFinding, ruleIndex: number): Sarif.Result {
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: resultMessage(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(finding.path),
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: finding.endLine,
            endColumn: finding.endColumn,
            snippet: { text: finding.lineText },
          },
        },
      },
    ],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: sarifFingerprint(finding) },
    properties: resultProperties(finding),
  };
}

export const formatSarif: Reporter = ({ findings, tool, repository }) => {
  const sorted = sortFindings(findings);
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  // Rules sorted by id: the same findings give the same rule indices.
  for (const finding of [...sorted].sort((a, b) =>
    a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0,
  )) {
    if (ruleIndex.has(finding.ruleId)) continue;
    ruleIndex.set(finding.ruleId, rules.length);
    rules.push(ruleDescriptor(finding));
  }
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: tool.name,
        version: tool.version,
        semanticVersion: tool.version,
        informationUri: tool.informationUri,
        rules,
      },
    },
    ...(repository
      ? {
          versionControlProvenance: [
            {
              repositoryUri: repository.uri,
              ...(repository.revision ? { revisionId: repository.revision } : {}),
              ...(repository.branch ? { branch: repository.branch } : {}),
              mappedTo: { uriBaseId: "%SRCROOT%" },
            },
          ],
        }
      : {}),
    // A local repository's root, so viewers can open the files (a remote's URI is no file root).
    ...(repository?.uri.startsWith("file:")
      ? {
          originalUriBaseIds: {
            "%SRCROOT%": {
              uri: repository.uri.endsWith("/") ? repository.uri : `${repository.uri}/`,
            },
          },
        }
      : {}),
    columnKind: "utf16CodeUnits",
    results: sorted.map((finding) => result(finding, ruleIndex.get(finding.ruleId)!)),
  };
  const log: Sarif.Log = { $schema: SCHEMA_URI, version: "2.1.0", runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
};
