import { Octokit } from "@octokit/rest";
import type { ReportFinding } from "../types.js";
import {
  isSummaryComment,
  parseReviewMarker,
  type ReviewMarker,
  resolvedReviewBody,
  reviewCommentBody,
  reviewKey,
  summaryCommentBody,
} from "./comment-bodies.js";

/**
 * Brings the pull request's comments in line with this run: one review comment per leaking line
 * of the diff, one summary comment for the rest. Comments of earlier runs are found by their
 * hidden marker and updated (or marked resolved), never duplicated. A token that may not write
 * (a fork's pull request) ends the sync quietly: the caller falls back to annotations and the
 * job summary.
 */

export interface ReportedLine {
  readonly path: string;
  readonly line: number;
  readonly findings: readonly ReportFinding[];
}

export interface SyncCommentsInput {
  readonly apiUrl: string;
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  /** The head commit the review comments are made on. */
  readonly headSha: string;
  readonly lines: readonly ReportedLine[];
  readonly outside: readonly ReportFinding[];
  /** Every finding of the run (one per key). */
  readonly total: number;
  /**
   * False when the scan could not read part of the change: a key it did not find may still be
   * there, so no earlier comment is marked resolved.
   */
  readonly complete: boolean;
  readonly userAgent: string;
  readonly onWarning: (text: string) => void;
}

export interface SyncCommentsResult {
  readonly created: number;
  readonly updated: number;
  readonly resolved: number;
  /** Set when the comments could not be written; the reason, for the log and the summary. */
  readonly failed?: string;
}

interface HttpError {
  readonly status: number;
  readonly message: string;
  /** When GitHub's rate limit lets requests through again, if it said (from x-ratelimit-reset). */
  readonly rateLimited?: { readonly resetAt?: Date };
}

function httpError(error: unknown): HttpError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  if (typeof status !== "number") return undefined;
  // Octokit gives a request that got no answer (connection refused, DNS) status 500 too.
  const response = (error as { response?: { headers?: Record<string, unknown> } }).response;
  if (response === undefined) return undefined;
  const message = (error as Error).message ?? "";
  // GitHub answers a spent rate limit with 403 (or 429), like a missing permission: only the
  // headers and the message tell them apart.
  const headers = response.headers ?? {};
  const limited =
    status === 429 ||
    (status === 403 &&
      (String(headers["x-ratelimit-remaining"]) === "0" || /rate limit/i.test(message)));
  if (!limited) return { status, message };
  const reset = Number(headers["x-ratelimit-reset"]);
  return {
    status,
    message,
    rateLimited: Number.isFinite(reset) && reset > 0 ? { resetAt: new Date(reset * 1000) } : {},
  };
}

/** Why a write failed, as one sentence. */
function describeFailure(error: unknown): string {
  const http = httpError(error);
  if (http?.rateLimited) {
    const reset = http.rateLimited.resetAt;
    const until = reset ? `; it resets at ${reset.toISOString().slice(11, 16)} UTC` : "";
    return `GitHub's API rate limit for this token is spent (HTTP ${http.status}: ${http.message.split("\n")[0]})${until}. Findings are in the annotations and the job summary instead`;
  }
  if (http?.status === 401) {
    return `GitHub refused the token (HTTP 401: ${http.message.split("\n")[0]}): check the github-token input. Findings are in the annotations and the job summary instead`;
  }
  if (http && [403, 404].includes(http.status)) {
    return `the token may not comment on this pull request (HTTP ${http.status}); a pull request from a fork gets a read-only token. Findings are in the annotations and the job summary instead`;
  }
  if (http) return `GitHub answered HTTP ${http.status}: ${http.message.split("\n")[0]}`;
  return `cannot reach the GitHub API: ${error instanceof Error ? error.message : String(error)}`;
}

class CommentsFailed extends Error {}

/** One of our review comments from an earlier run. */
interface KnownComment {
  readonly id: number;
  readonly marker: ReviewMarker;
  readonly body: string;
  readonly author: { login: string; type: string } | null | undefined;
}

/**
 * Review comments per run at most: a pull request that adds a dump of keys gets the rest in the
 * summary comment, not hundreds of notifications (and GitHub's secondary rate limit).
 */
export const MAX_REVIEW_COMMENTS = 50;

export async function syncComments(input: SyncCommentsInput): Promise<SyncCommentsResult> {
  const octokit = new Octokit({
    auth: input.token,
    baseUrl: input.apiUrl,
    userAgent: input.userAgent,
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => input.onWarning(message),
      error: () => {},
    },
  });
  const { owner, repo } = input;
  const counts = { created: 0, updated: 0, resolved: 0 };
  // Comments already saying what this run would write: a re-run edits nothing.
  let unchanged = 0;
  const attempt = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new CommentsFailed(describeFailure(error));
    }
  };

  /**
   * Comments are ours when their marker is there and we wrote them: anyone can type a marker,
   * and a comment by someone else is never edited. The default token writes as a bot; a
   * personal token writes as its user, whom GitHub names (it refuses the question to a bot).
   */
  let tokenUser = await octokit.rest.users.getAuthenticated().then(
    (answer) => answer.data.login,
    () => undefined,
  );
  // Until GitHub names us (a comment this run writes does), any bot's comment may be ours.
  const isOurs = (author: { login: string; type: string } | null | undefined) =>
    tokenUser !== undefined ? author?.login === tokenUser : author?.type === "Bot";
  /**
   * Edits a comment taken for ours; false when GitHub refuses it (403, 404): another app's bot
   * wrote it, and a bot token cannot ask GitHub which bot it is. That comment is left alone.
   */
  const edited = async (edit: () => Promise<unknown>): Promise<boolean> => {
    try {
      await edit();
      return true;
    } catch (error) {
      const http = httpError(error);
      // A spent rate limit says nothing about whose comment it is.
      if (!http?.rateLimited && (http?.status === 403 || http?.status === 404)) return false;
      throw new CommentsFailed(describeFailure(error));
    }
  };

  try {
    const reviewComments = await attempt(() =>
      octokit.paginate(octokit.rest.pulls.listReviewComments, {
        owner,
        repo,
        pull_number: input.pullNumber,
        per_page: 100,
      }),
    );
    // Marked comments by bots of more than one name: only an edit tells which name is ours.
    // Each name's first comment is written again as it is until GitHub lets one through.
    const marked = reviewComments.flatMap((comment) => {
      const marker = parseReviewMarker(comment.body ?? "");
      return marker && isOurs(comment.user) ? [{ comment, marker }] : [];
    });
    const names = [...new Set(marked.map(({ comment }) => comment.user?.login))];
    for (const name of tokenUser === undefined && names.length > 1 ? names : []) {
      const first = marked.find(({ comment }) => comment.user?.login === name)!.comment;
      const rewritten = await edited(() =>
        octokit.rest.pulls.updateReviewComment({
          owner,
          repo,
          comment_id: first.id,
          body: first.body,
        }),
      );
      if (rewritten) {
        tokenUser = name;
        break;
      }
    }
    const existing = new Map<string, KnownComment>();
    // A second comment for the same line and keys (two runs that raced) is marked resolved below.
    const stale: KnownComment[] = [];
    for (const { comment, marker } of marked) {
      // Once a no-op edit has named us, another bot's comments are no longer taken for ours.
      if (!isOurs(comment.user)) continue;
      const key = reviewKey(marker);
      const known = { id: comment.id, marker, body: comment.body, author: comment.user };
      if (existing.has(key)) stale.push(known);
      else existing.set(key, known);
    }

    const outside = [...input.outside];
    for (const line of input.lines.slice(MAX_REVIEW_COMMENTS)) outside.push(...line.findings);
    for (const line of input.lines.slice(0, MAX_REVIEW_COMMENTS)) {
      const body = reviewCommentBody(line.path, line.line, line.findings);
      const key = reviewKey({
        path: line.path,
        line: line.line,
        fingerprints: line.findings.map((f) => f.fingerprint),
      });
      const known = existing.get(key);
      if (known) {
        existing.delete(key);
        if (known.body === body) {
          unchanged++;
          continue;
        }
        if (
          await edited(() =>
            octokit.rest.pulls.updateReviewComment({ owner, repo, comment_id: known.id, body }),
          )
        ) {
          counts.updated++;
          continue;
        }
      }
      try {
        const created = await octokit.rest.pulls.createReviewComment({
          owner,
          repo,
          pull_number: input.pullNumber,
          commit_id: input.headSha,
          path: line.path,
          line: line.line,
          side: "RIGHT",
          body,
        });
        counts.created++;
        tokenUser ??= created.data.user?.login;
      } catch (error) {
        // 422: GitHub does not see this line in the pull request's diff (its diff may differ
        // from git's); the finding goes in the summary comment instead.
        if (httpError(error)?.status !== 422) throw new CommentsFailed(describeFailure(error));
        outside.push(...line.findings);
      }
    }
    // An incomplete scan resolves nothing: what it did not find may be in what it did not read.
    for (const left of input.complete ? [...existing.values(), ...stale] : []) {
      if (left.marker.state === "resolved" || !isOurs(left.author)) continue;
      const resolved = await edited(() =>
        octokit.rest.pulls.updateReviewComment({
          owner,
          repo,
          comment_id: left.id,
          body: resolvedReviewBody(left.marker, left.body, input.headSha),
        }),
      );
      if (resolved) counts.resolved++;
    }

    const issueComments = await attempt(() =>
      octokit.paginate(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: input.pullNumber,
        per_page: 100,
      }),
    );
    const summaries = issueComments.filter(
      (comment) => isSummaryComment(comment.body ?? "") && isOurs(comment.user),
    );
    // A summary that would say "resolved" after an incomplete scan is not written.
    if ((summaries.length > 0 && (input.complete || input.total > 0)) || outside.length > 0) {
      const body = summaryCommentBody({
        total: input.total,
        reviewedLines: counts.created + counts.updated + unchanged,
        outside,
        commit: input.headSha,
      });
      // The first of them GitHub lets this token edit is ours.
      let kept = false;
      for (const summary of summaries) {
        if (summary.body === body) kept = true;
        else if (
          await edited(() =>
            octokit.rest.issues.updateComment({ owner, repo, comment_id: summary.id, body }),
          )
        ) {
          kept = true;
          counts.updated++;
        }
        if (kept) break;
      }
      // Only other apps' summaries and nothing to add: no comment of our own is needed.
      if (!kept && outside.length > 0) {
        await attempt(() =>
          octokit.rest.issues.createComment({ owner, repo, issue_number: input.pullNumber, body }),
        );
        counts.created++;
      }
    }
    return counts;
  } catch (error) {
    if (error instanceof CommentsFailed) return { ...counts, failed: error.message };
    throw error;
  }
}
