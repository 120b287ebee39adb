import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import * as z from "../zod-mini.js";

/**
 * What the runner tells the Action about the run: the event and its payload (GITHUB_EVENT_NAME,
 * GITHUB_EVENT_PATH), the repository, the API to call. Only the payload fields the Action uses
 * are read, and checked, so a malformed payload is one clear error rather than a crash later.
 */

const sha = z.string().check(z.regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "not a commit id"));

const pullRequestPayload = z.object({
  pull_request: z.object({
    number: z.int().check(z.positive()),
    commits: z.optional(z.int().check(z.nonnegative())),
    base: z.object({ sha, ref: z.string() }),
    head: z.object({ sha, ref: z.string() }),
  }),
});

const pushPayload = z.object({
  ref: z.string(),
  before: sha,
  after: sha,
  created: z.optional(z.boolean()),
  deleted: z.optional(z.boolean()),
  repository: z.optional(z.object({ default_branch: z.optional(z.string()) })),
});

const mergeGroupPayload = z.object({
  merge_group: z.object({ base_sha: sha, head_sha: sha, head_ref: z.string() }),
});

export interface PullRequestEvent {
  readonly number: number;
  readonly base: string;
  readonly head: string;
  readonly baseRef: string;
  readonly headRef: string;
  /** Commits in the pull request, when the payload says (how deep a shallow fetch must go). */
  readonly commits?: number;
}

export interface PushEvent {
  readonly ref: string;
  /** Undefined for a new branch (the payload's before is all zeros). */
  readonly before?: string;
  /** Undefined for a deleted branch. */
  readonly after?: string;
  readonly defaultBranch?: string;
}

export interface ActionEvent {
  readonly name: string;
  readonly pullRequest?: PullRequestEvent;
  readonly push?: PushEvent;
}

export interface GithubContext {
  readonly event: ActionEvent;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  /** The commit the workflow runs on (GITHUB_SHA). */
  readonly sha?: string;
}

const ZERO_SHA = /^0+$/;

/** The branch a push's ref names ("refs/heads/main" → "main"). */
export function branchOf(ref: string): string {
  return ref.replace(/^refs\/heads\//, "");
}

/** Events whose payload carries the pull request: its range is scanned, its config not trusted. */
export const PULL_REQUEST_EVENTS: readonly string[] = [
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
];

function issuesOf(error: z.core.$ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join(".") || "payload"}: ${first.message}` : "invalid";
}

function readPayload(path: string | undefined, name: string): unknown {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `GITHUB_EVENT_PATH ${path}: cannot read the ${name} event payload (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`GITHUB_EVENT_PATH ${path}: the ${name} event payload is not JSON`);
  }
}

export function parseEvent(name: string, payload: unknown): ActionEvent {
  if (PULL_REQUEST_EVENTS.includes(name)) {
    const parsed = pullRequestPayload.safeParse(payload);
    if (!parsed.success) {
      throw new UsageError(`${name} event payload: ${issuesOf(parsed.error)}`);
    }
    const pr = parsed.data.pull_request;
    return {
      name,
      pullRequest: {
        number: pr.number,
        base: pr.base.sha,
        head: pr.head.sha,
        baseRef: pr.base.ref,
        headRef: pr.head.ref,
        ...(pr.commits !== undefined ? { commits: pr.commits } : {}),
      },
    };
  }
  if (name === "push") {
    const parsed = pushPayload.safeParse(payload);
    if (!parsed.success) throw new UsageError(`push event payload: ${issuesOf(parsed.error)}`);
    const push = parsed.data;
    const defaultBranch = push.repository?.default_branch;
    return {
      name,
      push: {
        ref: push.ref,
        ...(ZERO_SHA.test(push.before) || push.created === true ? {} : { before: push.before }),
        ...(ZERO_SHA.test(push.after) || push.deleted === true ? {} : { after: push.after }),
        ...(defaultBranch ? { defaultBranch } : {}),
      },
    };
  }
  if (name === "merge_group") {
    // A merge queue's group: the queued pull requests' commits on top of the base, like a push.
    const parsed = mergeGroupPayload.safeParse(payload);
    if (!parsed.success)
      throw new UsageError(`merge_group event payload: ${issuesOf(parsed.error)}`);
    const group = parsed.data.merge_group;
    return { name, push: { ref: group.head_ref, before: group.base_sha, after: group.head_sha } };
  }
  return { name };
}

export function readGithubContext(
  env: Readonly<Record<string, string | undefined>>,
): GithubContext {
  const name = env.GITHUB_EVENT_NAME?.trim() || "workflow_dispatch";
  const repository = env.GITHUB_REPOSITORY?.trim() ?? "";
  const slash = repository.indexOf("/");
  if (slash <= 0 || slash === repository.length - 1) {
    throw new UsageError(
      `GITHUB_REPOSITORY: "${repository}" is not owner/name (is this running inside GitHub Actions?)`,
    );
  }
  const event = parseEvent(name, readPayload(env.GITHUB_EVENT_PATH, name));
  return {
    event,
    owner: repository.slice(0, slash),
    repo: repository.slice(slash + 1),
    apiUrl: (env.GITHUB_API_URL?.trim() || "https://api.github.com").replace(/\/+$/, ""),
    serverUrl: (env.GITHUB_SERVER_URL?.trim() || "https://github.com").replace(/\/+$/, ""),
    ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA.trim() } : {}),
  };
}
