import { plural, sortFindings } from "../report/format.js";
import { markdownCell, markdownCode } from "../report/markdown.js";
import type { ReportFinding } from "../types.js";

/**
 * The job summary (GITHUB_STEP_SUMMARY): what was scanned, one table row per finding, what
 * happened to the pull-request comments, and the revocation plan or its outcome. It is what a
 * fork's pull request gets instead of comments, so it stands on its own.
 */

/** A step summary may hold 1 MiB; far fewer rows already make it unreadable. */
const MAX_ROWS = 500;

export type CommentsOutcome =
  | {
      readonly kind: "posted";
      readonly created: number;
      readonly updated: number;
      readonly resolved: number;
    }
  | { readonly kind: "failed"; readonly reason: string }
  | { readonly kind: "off"; readonly reason: string };

export interface JobSummaryInput {
  /** What was scanned, one phrase ("pull request #4, commits abc..def"). */
  readonly scanned: string;
  readonly configDescription: string;
  /** Findings as reported (at their place in the change where they have one). */
  readonly findings: readonly ReportFinding[];
  /** Unique keys found. */
  readonly total: number;
  readonly live: number;
  readonly failOn: string;
  readonly exitCode: number;
  /** What the scan could not read ("1 file or object could not be read"), when it missed some. */
  readonly incomplete?: string;
  readonly comments?: CommentsOutcome;
  readonly notes: readonly string[];
  /** Revocation asked for: "dry-run" shows the plan, "execute" the outcome. */
  readonly revokeMode?: "dry-run" | "execute";
  readonly revocations?: readonly ReportFinding[];
}

function statusOf(finding: ReportFinding): string {
  const verification = finding.verification?.status ?? "not verified";
  return finding.revocation
    ? `${verification}, revocation ${finding.revocation.status}`
    : verification;
}

function findingRow(finding: ReportFinding): string {
  const commit = finding.commit ? markdownCode(finding.commit.slice(0, 12)) : "";
  return `| ${markdownCode(finding.path)} | ${finding.line} | ${markdownCode(finding.ruleId)} | ${markdownCell(finding.provider)} | ${markdownCell(statusOf(finding))} | ${markdownCode(finding.secret)} | ${commit} |`;
}

function revocationRow(finding: ReportFinding): string {
  const revocation = finding.revocation!;
  const where = revocation.url ? ` ${revocation.url}` : "";
  return `| ${markdownCode(finding.ruleId)} | ${markdownCode(finding.secret)} | ${markdownCell(finding.verification?.status ?? "unknown")} | ${revocation.status} (${revocation.mechanism}) | ${markdownCell(revocation.detail + where)} |`;
}

function commentsLine(outcome: CommentsOutcome): string {
  switch (outcome.kind) {
    case "posted":
      return `Pull-request comments: ${outcome.created} added, ${outcome.updated} updated, ${outcome.resolved} marked resolved.`;
    case "failed":
      return `Pull-request comments not written: ${markdownCell(outcome.reason)}.`;
    case "off":
      return `Pull-request comments: ${markdownCell(outcome.reason)}.`;
  }
}

export function jobSummary(input: JobSummaryInput): string {
  const lines: string[] = ["## keywarden", ""];
  const live = input.live > 0 ? ` (${input.live} verified live)` : "";
  // An incomplete scan that found nothing must not read as a clean one.
  const found =
    input.total === 0
      ? input.incomplete
        ? `No secrets found in what could be read of ${markdownCell(input.scanned)}.`
        : `No secrets found in ${markdownCell(input.scanned)}.`
      : `**${plural(input.total, "secret")} found**${live} in ${markdownCell(input.scanned)}.`;
  if (input.incomplete) {
    lines.push(
      `**Incomplete scan**: ${markdownCell(input.incomplete)} (listed below); exit code 2.`,
      "",
    );
  }
  lines.push(
    found,
    "",
    `Rules: ${markdownCell(input.configDescription)}. Fails on: ${input.failOn}; exit code ${input.exitCode}.`,
    "",
  );
  if (input.findings.length > 0) {
    const sorted = sortFindings(input.findings);
    lines.push(
      "| File | Line | Rule | Provider | Status | Secret | Commit |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...sorted.slice(0, MAX_ROWS).map(findingRow),
      "",
    );
    if (sorted.length > MAX_ROWS) {
      lines.push(`…and ${sorted.length - MAX_ROWS} more: see the SARIF file.`, "");
    }
  }
  if (input.revocations && input.revocations.length > 0) {
    lines.push(
      input.revokeMode === "execute"
        ? "### Revocation"
        : "### Revocation plan (dry run: set `revoke-confirm: true` to act)",
      "",
      "| Rule | Secret | Verification | Revocation | Detail |",
      "| --- | --- | --- | --- | --- |",
      ...input.revocations.map(revocationRow),
      "",
    );
  }
  if (input.comments) lines.push(commentsLine(input.comments), "");
  for (const note of input.notes) lines.push(`- ${markdownCell(note)}`);
  if (input.notes.length > 0) lines.push("");
  return `${lines.join("\n")}\n`;
}
