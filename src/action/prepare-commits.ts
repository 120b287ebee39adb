import { GitError } from "../errors.js";
import { isShallowRepository, mergeBase } from "../git/repository.js";
import { firstMeaningfulLine, type GitContext, runGitRaw } from "../git/run-git.js";
import { branchOf, type PullRequestEvent, type PushEvent } from "./read-event.js";

/**
 * Makes the commits a scan needs present in the checkout, fetching what a shallow clone lacks
 * (the default `actions/checkout` fetches one commit): the two ends of the range by id, then
 * deeper history until the ends share a merge base, so `base..head` lists exactly the commits
 * the pull request or push brings.
 */

/** What a range scan reads: `git log -p <range>`, or every blob of `branch` (a new branch). */
export type ScanTarget =
  | { readonly range: string; readonly base: string; readonly head: string }
  | { readonly branch: string };

export interface PrepareOptions extends GitContext {
  readonly remote?: string;
  /** One line for the log (what was fetched, what could not be). */
  readonly onNote: (text: string) => void;
}

/** Deepening steps before giving up and fetching the whole history. */
const DEEPEN_STEPS = [50, 200, 1000] as const;

/**
 * Fetching is network I/O the scanning git calls refuse on purpose (`protocol.allow=never`);
 * here it is the point, over the transports a checkout uses.
 */
const FETCH_PROTOCOLS = ["https", "http", "ssh", "git", "file"].flatMap((name) => [
  "-c",
  `protocol.${name}.allow=always`,
]);

export async function hasCommit(sha: string, context: GitContext): Promise<boolean> {
  const result = await runGitRaw(
    ["cat-file", "-e", "--end-of-options", `${sha}^{commit}`],
    context,
  );
  return result.code === 0;
}

/** `--depth` for a fetch into a shallow clone; none into a full one, which it would make shallow. */
async function depthArgs(depth: number, context: GitContext): Promise<string[]> {
  return (await isShallowRepository(context)) ? [`--depth=${depth}`] : [];
}

async function fetch(
  args: readonly string[],
  refs: readonly string[],
  options: PrepareOptions,
): Promise<{ ok: boolean; detail: string }> {
  const remote = options.remote ?? "origin";
  const result = await runGitRaw(
    [
      ...FETCH_PROTOCOLS,
      "fetch",
      "--no-tags",
      "--no-recurse-submodules",
      "--quiet",
      ...args,
      remote,
      ...refs,
    ],
    options,
  );
  return { ok: result.code === 0, detail: firstMeaningfulLine(result.stderr) };
}

/** Fetches the commits that are missing; returns those still missing. */
async function fetchMissing(
  shas: readonly string[],
  depth: number,
  options: PrepareOptions,
): Promise<string[]> {
  const missing: string[] = [];
  for (const sha of shas) if (!(await hasCommit(sha, options))) missing.push(sha);
  if (missing.length === 0) return [];
  const fetched = await fetch(await depthArgs(depth, options), missing, options);
  if (!fetched.ok) options.onNote(`could not fetch ${missing.join(", ")}: ${fetched.detail}`);
  const still: string[] = [];
  for (const sha of missing) if (!(await hasCommit(sha, options))) still.push(sha);
  return still;
}

/**
 * In a shallow clone `base..head` is right only once both ends reach a common ancestor: deepen
 * step by step, then fetch everything. Returns the merge base, if the histories have one.
 */
async function reachMergeBase(
  base: string,
  head: string,
  options: PrepareOptions,
): Promise<string | undefined> {
  let found = await mergeBase(base, head, options);
  for (const step of DEEPEN_STEPS) {
    if (found !== undefined || !(await isShallowRepository(options))) return found;
    await fetch([`--deepen=${step}`], [base, head], options);
    found = await mergeBase(base, head, options);
  }
  if (found === undefined && (await isShallowRepository(options))) {
    const whole = await fetch(["--unshallow"], [base, head], options);
    if (!whole.ok) options.onNote(`could not fetch the full history: ${whole.detail}`);
    found = await mergeBase(base, head, options);
  }
  return found;
}

function missingCommitError(sha: string, what: string): GitError {
  return new GitError(
    `the ${what} commit ${sha} is not in the checkout and could not be fetched (use actions/checkout with fetch-depth: 0)`,
    `git fetch origin ${sha}`,
  );
}

/** A pull request: its base and head commits, fetched when missing, and their merge base. */
export async function preparePullRequest(
  pullRequest: PullRequestEvent,
  options: PrepareOptions,
): Promise<ScanTarget & { range: string }> {
  const { base, head } = pullRequest;
  const depth = (pullRequest.commits ?? 50) + 1;
  let missing = await fetchMissing([base, head], depth, options);
  if (missing.includes(head)) {
    // A fork's head commit is reachable in the base repository through the pull request's ref.
    const pullRef = `refs/pull/${pullRequest.number}/head`;
    await fetch(await depthArgs(depth, options), [pullRef], options);
    missing = await fetchMissing(missing, depth, options);
  }
  if (missing.includes(head)) throw missingCommitError(head, "pull request's head");
  if (missing.includes(base)) throw missingCommitError(base, "pull request's base");
  if ((await reachMergeBase(base, head, options)) === undefined) {
    // Still shallow: the histories may well meet below the cut, which is then unread, not unrelated.
    options.onNote(
      (await isShallowRepository(options))
        ? "the base and head of the pull request do not meet in this shallow checkout, and it could not be deepened: the commits at its cut are not scanned (use actions/checkout with fetch-depth: 0)"
        : "the pull request's head shares no history with its base: every commit of the head is scanned",
    );
  }
  return { range: `${base}..${head}`, base, head };
}

async function resolveRef(ref: string, context: GitContext): Promise<string | undefined> {
  const result = await runGitRaw(
    ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`],
    context,
  );
  return result.code === 0 ? result.stdout.toString("utf8").trim() : undefined;
}

/**
 * The default branch's tip, for a new branch's range. Fetched into the remote-tracking ref when
 * the checkout does not have it.
 */
async function defaultBranchTip(
  branch: string,
  options: PrepareOptions,
): Promise<string | undefined> {
  const remote = options.remote ?? "origin";
  const tracking = `refs/remotes/${remote}/${branch}`;
  const known = await resolveRef(tracking, options);
  if (known) return known;
  const fetched = await fetch(
    await depthArgs(1, options),
    [`+refs/heads/${branch}:${tracking}`],
    options,
  );
  if (!fetched.ok) {
    options.onNote(`could not fetch the default branch ${branch}: ${fetched.detail}`);
    return undefined;
  }
  return resolveRef(tracking, options);
}

/**
 * A push: `before..after`. A new branch (or a force push whose old tip is gone) has no usable
 * before: its commits are those not on the default branch; a new default branch is scanned
 * whole.
 */
export async function preparePush(
  push: PushEvent & { readonly after: string },
  options: PrepareOptions,
): Promise<ScanTarget> {
  if ((await fetchMissing([push.after], 50, options)).length > 0)
    throw missingCommitError(push.after, "pushed");
  // An annotated tag's push names the tag object: the commit it tags is what is scanned.
  const after = (await resolveRef(push.after, options)) ?? push.after;
  if (push.before !== undefined) {
    const missing = await fetchMissing([push.before], 1, options);
    if (missing.length === 0) {
      await reachMergeBase(push.before, after, options);
      return { range: `${push.before}..${after}`, base: push.before, head: after };
    }
    options.onNote(
      `the commit before the push (${push.before}) is not in the checkout and could not be fetched: scanning the branch's own commits instead`,
    );
  }
  if (push.defaultBranch !== undefined && push.defaultBranch !== branchOf(push.ref)) {
    const tip = await defaultBranchTip(push.defaultBranch, options);
    if (tip !== undefined) {
      await reachMergeBase(tip, after, options);
      return { range: `${tip}..${after}`, base: tip, head: after };
    }
  }
  return { branch: after };
}

/** A full scan: the whole history of every ref the checkout has, unshallowed when it can be. */
export async function prepareFullHistory(options: PrepareOptions): Promise<void> {
  if (!(await isShallowRepository(options))) return;
  const fetched = await fetch(["--unshallow"], [], options);
  if (!fetched.ok) options.onNote(`could not fetch the full history: ${fetched.detail}`);
}
