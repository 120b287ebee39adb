import { plural } from "../report/format.js";
import { markdownCell, markdownCode } from "../report/markdown.js";
import type { ReportFinding } from "../types.js";

/**
 * The text of the pull-request comments (pure). Each comment starts with a hidden marker that
 * names what it is about, so the next run finds it again and updates it instead of adding
 * another one.
 */

export const REVIEW_MARKER = "keywarden:review";
export const SUMMARY_MARKER = "keywarden:summary";

/** GitHub refuses comments over 65,536 characters: room for the table and the notes. */
const MAX_SUMMARY_ROWS = 150;

export interface ReviewMarker {
  readonly state: "open" | "resolved";
  readonly path: string;
  readonly line: number;
  /** Sorted fingerprints of the findings on the line. */
  readonly fingerprints: readonly string[];
}

export function reviewKey(marker: Pick<ReviewMarker, "path" | "line" | "fingerprints">): string {
  return `${marker.path}\0${marker.line}\0${[...marker.fingerprints].sort().join(",")}`;
}

function reviewMarkerText(marker: ReviewMarker): string {
  return `<!-- ${REVIEW_MARKER} v=1 state=${marker.state} path=${encodeURIComponent(marker.path)} line=${marker.line} fingerprints=${[...marker.fingerprints].sort().join(",")} -->`;
}

/** The marker of one of our review comments, or undefined for any other comment. */
export function parseReviewMarker(body: string): ReviewMarker | undefined {
  const match = new RegExp(`^<!-- ${REVIEW_MARKER} ([^>]*) -->`).exec(body);
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const pair of match[1]!.split(" ")) {
    const eq = pair.indexOf("=");
    if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const state = fields.get("state");
  const line = Number(fields.get("line"));
  const path = fields.get("path");
  if ((state !== "open" && state !== "resolved") || !Number.isInteger(line) || !path)
    return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const fingerprints = (fields.get("fingerprints") ?? "").split(",").filter(Boolean);
  return { state, path: decoded, line, fingerprints };
}

export function isSummaryComment(body: string): boolean {
  return body.startsWith(`<!-- ${SUMMARY_MARKER} `);
}

function statusOf(finding: ReportFinding): string {
  const verification = finding.verification
    ? `${finding.verification.status}${finding.verification.httpStatus !== undefined ? ` (HTTP ${finding.verification.httpStatus})` : ""}`
    : "not verified";
  const revocation = finding.revocation ? `, revocation ${finding.revocation.status}` : "";
  return `${verification}${revocation}`;
}

const WHAT_TO_DO =
  "Deleting the line is not enough: the key is in this pull request's commits, and anyone who can read them has it. " +
  "Revoke it and use a new one loaded from a secret store or the environment. " +
  "If it is no real key, add a `keywarden:allow` comment on the line, or its fingerprint to `.keywardenignore` on the base branch.";

function findingSection(finding: ReportFinding): string {
  const commit = finding.commit
    ? `\n- Added in commit ${markdownCode(finding.commit.slice(0, 12))}`
    : "";
  const encoded = finding.encoding ? ` (inside ${finding.encoding}-encoded text)` : "";
  return [
    `**${markdownCell(finding.title)}** (${markdownCode(finding.ruleId)}, provider ${markdownCode(finding.provider)}, ${finding.severity})`,
    `- Secret: ${markdownCode(finding.secret)}${encoded}`,
    `- Verification: ${markdownCell(statusOf(finding))}${commit}`,
    `- Fingerprint: ${markdownCode(finding.fingerprint)}`,
    `- What to do: ${markdownCell(finding.remediation)}`,
  ].join("\n");
}

export function reviewCommentBody(
  path: string,
  line: number,
  findings: readonly ReportFinding[],
): string {
  const marker = reviewMarkerText({
    state: "open",
    path,
    line,
    fingerprints: findings.map((finding) => finding.fingerprint),
  });
  const headline =
    findings.length === 1
      ? "### keywarden: a secret is leaked on this line"
      : `### keywarden: ${findings.length} secrets are leaked on this line`;
  return [
    marker,
    headline,
    "",
    ...findings.map(findingSection).flatMap((s) => [s, ""]),
    WHAT_TO_DO,
    "",
  ].join("\n");
}

/** An earlier review comment whose key this run no longer finds on its line. */
export function resolvedReviewBody(
  marker: ReviewMarker,
  previousBody: string,
  commit: string,
): string {
  const earlier = previousBody.replace(/^<!--[^>]*-->\n?/, "").trim();
  return [
    reviewMarkerText({ ...marker, state: "resolved" }),
    `### keywarden: resolved`,
    "",
    `No secret is found on this line any more (checked at ${markdownCode(commit.slice(0, 12))}). If the key was ever pushed, make sure it was revoked: it stays in the history of the commits that added it.`,
    "",
    "<details><summary>Earlier report</summary>",
    "",
    earlier,
    "",
    "</details>",
    "",
  ].join("\n");
}

function summaryRow(finding: ReportFinding): string {
  const commit = finding.commit ? markdownCode(finding.commit.slice(0, 12)) : "";
  return `| ${markdownCode(finding.path)} | ${finding.line} | ${commit} | ${markdownCode(finding.ruleId)} | ${markdownCell(finding.provider)} | ${markdownCode(finding.secret)} | ${markdownCell(statusOf(finding))} |`;
}

export interface SummaryCommentInput {
  /** Every finding of the run (one per key). */
  readonly total: number;
  /** Leaking lines that carry a review comment. */
  readonly reviewedLines: number;
  /** Findings that no review comment covers. */
  readonly outside: readonly ReportFinding[];
  readonly commit: string;
}

export function summaryCommentBody(input: SummaryCommentInput): string {
  const marker = `<!-- ${SUMMARY_MARKER} v=1 -->`;
  if (input.total === 0) {
    return [
      marker,
      "### keywarden: resolved",
      "",
      `No secrets are found in this pull request any more (checked at ${markdownCode(input.commit.slice(0, 12))}). Keys that were pushed stay in the history of the commits that added them: make sure they were revoked.`,
      "",
    ].join("\n");
  }
  const lines = [
    marker,
    `### keywarden: ${plural(input.total, "secret")} in this pull request`,
    "",
  ];
  if (input.reviewedLines > 0) {
    lines.push(
      `${plural(input.reviewedLines, "leaking line")} of the diff ${input.reviewedLines === 1 ? "has" : "have"} a review comment.`,
      "",
    );
  }
  if (input.outside.length > 0) {
    lines.push(
      `${plural(input.outside.length, "finding")} outside the diff (or past the review comments one run posts). A key that a commit of this pull request added and a later one removed shows on no line of "Files changed", but it stays in the branch's history.`,
      "",
      "| File | Line | Commit | Rule | Provider | Secret | Status |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...input.outside.slice(0, MAX_SUMMARY_ROWS).map(summaryRow),
    );
    if (input.outside.length > MAX_SUMMARY_ROWS) {
      lines.push(
        "",
        `…and ${input.outside.length - MAX_SUMMARY_ROWS} more (see the job summary or the SARIF file).`,
      );
    }
    lines.push("", WHAT_TO_DO);
  }
  lines.push("", `<sub>Checked at ${markdownCode(input.commit.slice(0, 12))}.</sub>`, "");
  return lines.join("\n");
}
