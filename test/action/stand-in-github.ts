import type { LoggedRequest, StandInReply, StandInServer } from "../helpers/stand-in-server.js";
import { startStandInServer } from "../helpers/stand-in-server.js";

/**
 * A stand-in for the parts of the GitHub REST API the Action calls, on a real HTTP server:
 * review comments and issue comments of one pull request, kept in memory so a second run sees
 * what the first one wrote. `readOnly` answers every write with 403, as GitHub does for the
 * read-only token of a pull request from a fork.
 */

export interface StoredComment {
  readonly id: number;
  body: string;
  readonly path?: string;
  readonly line?: number;
  readonly side?: string;
  readonly commit_id?: string;
  /** Who wrote it: the Action's bot unless a test says otherwise. */
  readonly user?: { readonly login: string; readonly type: string };
}

export interface StandInGithub {
  readonly server: StandInServer;
  readonly url: string;
  readonly reviewComments: StoredComment[];
  readonly issueComments: StoredComment[];
  /** Requests that write (POST, PATCH, PUT, DELETE). */
  writes(): LoggedRequest[];
  setReadOnly(readOnly: boolean): void;
  /** Answers every request as GitHub does once the token's rate limit is spent (403), or stops. */
  setRateLimited(resetAt: Date | undefined): void;
  close(): Promise<void>;
}

export interface StandInGithubOptions {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  readonly readOnly?: boolean;
}

const FORBIDDEN: StandInReply = {
  status: 403,
  body: {
    message: "Resource not accessible by integration",
    documentation_url: "https://docs.github.com/rest",
    status: "403",
  },
};

/** GitHub's answer to a token whose primary rate limit is spent: a 403 told apart by its headers. */
function rateLimitedReply(resetAt: Date): StandInReply {
  return {
    status: 403,
    headers: {
      "x-ratelimit-limit": "1000",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Math.floor(resetAt.getTime() / 1000)),
    },
    body: {
      message: "API rate limit exceeded for installation ID 1.",
      documentation_url:
        "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api",
      status: "403",
    },
  };
}

function bodyOf(request: LoggedRequest): Record<string, unknown> {
  return JSON.parse(request.body || "{}") as Record<string, unknown>;
}

export async function startStandInGithub(options: StandInGithubOptions): Promise<StandInGithub> {
  const base = `/repos/${options.owner}/${options.repo}`;
  const reviewComments: StoredComment[] = [];
  const issueComments: StoredComment[] = [];
  let readOnly = options.readOnly ?? false;
  let rateLimitedUntil: Date | undefined;
  let nextId = 1000;

  const bot = { login: "github-actions[bot]", type: "Bot" };
  const reviewJson = (comment: StoredComment) => ({
    ...comment,
    user: comment.user ?? bot,
    pull_request_review_id: 1,
  });
  const issueJson = (comment: StoredComment) => ({ ...comment, user: comment.user ?? bot });

  const update =
    (list: StoredComment[], json: (c: StoredComment) => object) =>
    (request: LoggedRequest): StandInReply => {
      if (readOnly) return FORBIDDEN;
      const id = Number(request.path.slice(request.path.lastIndexOf("/") + 1));
      const comment = list.find((c) => c.id === id);
      if (!comment) return { status: 404, body: { message: "Not Found" } };
      // As GitHub: a token edits only comments its own identity wrote.
      if (comment.user && comment.user.login !== bot.login) return FORBIDDEN;
      comment.body = String(bodyOf(request).body);
      return { status: 200, body: json(comment) };
    };

  const routes: Record<string, (request: LoggedRequest) => StandInReply> = {
    // The default token is an app's: GitHub will not say which user it is.
    "GET /user": () => FORBIDDEN,
    [`GET ${base}/pulls/${options.pullNumber}/comments`]: () => ({
      body: reviewComments.map(reviewJson),
    }),
    [`POST ${base}/pulls/${options.pullNumber}/comments`]: (request) => {
      if (readOnly) return FORBIDDEN;
      const body = bodyOf(request);
      const comment: StoredComment = {
        id: nextId++,
        body: String(body.body),
        path: String(body.path),
        line: Number(body.line),
        side: String(body.side),
        commit_id: String(body.commit_id),
      };
      reviewComments.push(comment);
      return { status: 201, body: reviewJson(comment) };
    },
    [`PATCH ${base}/pulls/comments/*`]: update(reviewComments, reviewJson),
    [`GET ${base}/issues/${options.pullNumber}/comments`]: () => ({
      body: issueComments.map(issueJson),
    }),
    [`POST ${base}/issues/${options.pullNumber}/comments`]: (request) => {
      if (readOnly) return FORBIDDEN;
      const comment: StoredComment = { id: nextId++, body: String(bodyOf(request).body) };
      issueComments.push(comment);
      return { status: 201, body: issueJson(comment) };
    },
    [`PATCH ${base}/issues/comments/*`]: update(issueComments, issueJson),
  };
  const server = await startStandInServer({
    routes: Object.fromEntries(
      Object.entries(routes).map(([route, handler]) => [
        route,
        (request: LoggedRequest) =>
          rateLimitedUntil ? rateLimitedReply(rateLimitedUntil) : handler(request),
      ]),
    ),
  });
  return {
    server,
    url: server.url,
    reviewComments,
    issueComments,
    writes: () => server.requests.filter((r) => r.method !== "GET" && r.method !== "HEAD"),
    setReadOnly: (value) => {
      readOnly = value;
    },
    setRateLimited: (resetAt) => {
      rateLimitedUntil = resetAt;
    },
    close: () => server.close(),
  };
}
