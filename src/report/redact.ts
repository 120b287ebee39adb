import type { Finding, ReportFinding } from "../types.js";

/** How much of each secret to hide: 0 shows everything (only with --no-redact), 100 hides all. */
export type RedactPercent = number;

export const DEFAULT_REDACT_PERCENT = 80;
/** However long the key, never show more than this much of it. */
const MAX_VISIBLE = 12;
/** Lines are cut around the secret so a minified file does not flood the report. */
const LINE_CONTEXT = 60;
/** What redactSecret puts in place of the whole secret, and after the prefix it shows. */
const FULLY_REDACTED = "REDACTED";
const REDACTED_TAIL = "*****";

export function redactSecret(secret: string, percent: RedactPercent): string {
  if (percent <= 0) return secret;
  if (percent >= 100) return FULLY_REDACTED;
  const visible = Math.min(MAX_VISIBLE, Math.floor((secret.length * (100 - percent)) / 100));
  return `${secret.slice(0, visible)}${REDACTED_TAIL}`;
}

/** True for what redactSecret returns at any percent above 0. */
export function isRedacted(secret: string): boolean {
  return secret === FULLY_REDACTED || secret.endsWith(REDACTED_TAIL);
}

function clipAround(line: string, needle: string): string {
  if (line.length <= 2 * LINE_CONTEXT + needle.length) return line;
  const at = Math.max(0, line.indexOf(needle));
  const start = Math.max(0, at - LINE_CONTEXT);
  const end = Math.min(line.length, at + needle.length + LINE_CONTEXT);
  return `${start > 0 ? "…" : ""}${line.slice(start, end)}${end < line.length ? "…" : ""}`;
}

/** A line with every occurrence of each secret redacted. */
export function redactInLine(
  line: string,
  secrets: readonly (string | undefined)[],
  percent: RedactPercent,
): string {
  if (percent <= 0) return line;
  let redacted = line;
  for (const secret of secrets) {
    if (secret) redacted = redacted.split(secret).join(redactSecret(secret, percent));
  }
  return redacted;
}

/**
 * The only way from a Finding to what reporters see. Every field that may hold the secret
 * (the secret, the line, a companion secret on the line) is redacted here, inside the pipeline,
 * so no reporter can leak it by mistake.
 */
export function toReportFinding(
  finding: Finding,
  percent: RedactPercent,
  remediation: string,
): ReportFinding {
  const redacted = redactSecret(finding.secret, percent);
  const lineText = redactInLine(
    finding.lineText,
    [finding.secret, finding.companion?.secret],
    percent,
  );
  return {
    ruleId: finding.ruleId,
    title: finding.title,
    provider: finding.provider,
    severity: finding.severity,
    tags: finding.tags,
    path: finding.path,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    secret: redacted,
    lineText: clipAround(lineText, percent > 0 ? redacted : finding.secret),
    ...(finding.companion
      ? {
          companion: {
            ...finding.companion,
            secret: redactSecret(finding.companion.secret, percent),
          },
        }
      : {}),
    metadata: finding.metadata,
    entropy: finding.entropy,
    fingerprint: finding.fingerprint,
    ...(finding.encoding ? { encoding: finding.encoding } : {}),
    ...(finding.checksumValid !== undefined ? { checksumValid: finding.checksumValid } : {}),
    ...(finding.git
      ? {
          commit: finding.git.commit,
          author: finding.git.author,
          email: finding.git.email,
          date: finding.git.date,
        }
      : {}),
    ...(finding.occurrences ? { occurrences: finding.occurrences } : {}),
    ...(finding.verification ? { verification: finding.verification } : {}),
    ...(finding.revocation ? { revocation: finding.revocation } : {}),
    remediation,
  };
}
