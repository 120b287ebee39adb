import type { ReportFinding } from "../types.js";
import type { CommentsOutcome } from "./job-summary.js";
import type { PullRequestEvent } from "./read-event.js";
import { type ReportedLine, syncComments } from "./sync-comments.js";
import { annotation, type CommandOutput } from "./workflow-commands.js";

/**
 * The pull-request feedback step: comments when they are on and a token is there, and a
 * warning (never a failure) when GitHub refuses them; the job summary then carries the findings.
 */
export interface CommentStepInput {
  readonly enabled: boolean;
  readonly token: string;
  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
  readonly pullRequest: PullRequestEvent;
  /** Leaking lines of the diff, and the findings on none, as reported. */
  readonly lines: readonly ReportedLine[];
  readonly outside: readonly ReportFinding[];
  readonly total: number;
  /** False when the scan could not read part of the change (nothing is then marked resolved). */
  readonly complete: boolean;
  readonly userAgent: string;
  readonly stdout: CommandOutput;
}

export async function commentOnPullRequest(input: CommentStepInput): Promise<CommentsOutcome> {
  if (!input.enabled) return { kind: "off", reason: "turned off (comment: false)" };
  if (!input.token) return { kind: "off", reason: "no github-token" };
  const warn = (text: string) => input.stdout.write(annotation("warning", `keywarden: ${text}`));
  let failed: string | undefined;
  try {
    const result = await syncComments({
      apiUrl: input.apiUrl,
      token: input.token,
      owner: input.owner,
      repo: input.repo,
      pullNumber: input.pullRequest.number,
      headSha: input.pullRequest.head,
      lines: input.lines,
      outside: input.outside,
      total: input.total,
      complete: input.complete,
      userAgent: input.userAgent,
      onWarning: warn,
    });
    if (result.failed === undefined) return { kind: "posted", ...result };
    failed = result.failed;
  } catch (error) {
    failed = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  }
  warn(`pull-request comments not written: ${failed}`);
  return { kind: "failed", reason: failed };
}
