import { execFileSync } from "node:child_process";
import { onTestFinished } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { GIT_ENV, makeTempDir, makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { type StandInGithub, startStandInGithub } from "./stand-in-github.js";

/** Repositories, payloads and checks the Action tests share. */

export const OWNER = "acme";
export const REPO = "app";
export const PR_NUMBER = 7;

/** A key the built-in openai-project-key rule reports, new for every call. */
export function openaiKey(): string {
  return expandTemplate("sk-proj-{{b64url:74}}T3BlbkFJ{{b64url:74}}");
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV },
    encoding: "utf8",
  }).trim();
}

/** The origin repository of a pull request: main at `base`, branch feature at `head`. */
export interface PullRequestRepo {
  readonly origin: TempRepo;
  readonly base: string;
  head: string;
  /** Adds a commit to the pull request's branch and moves the pull request's refs. */
  push(
    message: string,
    files: Readonly<Record<string, string>>,
    remove?: readonly string[],
  ): string;
}

/**
 * Builds origin: `baseFiles` committed on main, then each of `commits` on branch feature, with
 * GitHub's refs/pull/N/head and refs/pull/N/merge (the test merge a pull_request run checks out).
 */
export function makePullRequestRepo(
  baseFiles: Readonly<Record<string, string>>,
  commits: readonly {
    message: string;
    files: Readonly<Record<string, string>>;
    remove?: readonly string[];
  }[],
): PullRequestRepo {
  const origin = makeTempRepo();
  const base = origin.commit("base", baseFiles);
  origin.git("config", "uploadpack.allowAnySHA1InWant", "true");
  origin.git("checkout", "-q", "-b", "feature");
  const updateRefs = (head: string) => {
    const tree = origin.git("rev-parse", `${head}^{tree}`);
    const merge = origin.git(
      "commit-tree",
      tree,
      "-p",
      base,
      "-p",
      head,
      "-m",
      `Merge ${head} into ${base}`,
    );
    origin.git("update-ref", `refs/pull/${PR_NUMBER}/head`, head);
    origin.git("update-ref", `refs/pull/${PR_NUMBER}/merge`, merge);
  };
  const repo: PullRequestRepo = {
    origin,
    base,
    head: base,
    push(message, files, remove = []) {
      for (const path of remove) origin.git("rm", "-q", path);
      const head = origin.commit(message, files);
      repo.head = head;
      updateRefs(head);
      return head;
    },
  };
  for (const commit of commits) repo.push(commit.message, commit.files, commit.remove);
  return repo;
}

/**
 * A checkout as actions/checkout makes it for a pull_request run with its default depth of 1
 * (or `depth`): only the test merge commit, detached, origin pointing at the repository.
 */
export function shallowPullRequestCheckout(origin: TempRepo, depth = 1): string {
  const dir = makeTempDir("keywarden-ws-");
  git(dir, "init", "-q");
  git(dir, "remote", "add", "origin", `file://${origin.dir}`);
  git(
    dir,
    "fetch",
    "-q",
    "--no-tags",
    `--depth=${depth}`,
    "origin",
    `+refs/pull/${PR_NUMBER}/merge:refs/remotes/pull/${PR_NUMBER}/merge`,
  );
  git(dir, "checkout", "-q", "--detach", `refs/remotes/pull/${PR_NUMBER}/merge`);
  return dir;
}

/** A full checkout of `ref` (fetch-depth: 0). */
export function fullCheckout(origin: TempRepo, ref: string): string {
  const dir = makeTempDir("keywarden-ws-");
  git(dir, "clone", "-q", "--no-checkout", `file://${origin.dir}`, ".");
  git(dir, "checkout", "-q", "--detach", ref);
  return dir;
}

export function pullRequestPayload(
  repo: { base: string; head: string },
  options: { fork?: boolean; commits?: number } = {},
): unknown {
  const baseRepo = { full_name: `${OWNER}/${REPO}`, name: REPO, owner: { login: OWNER } };
  const headRepo = options.fork
    ? { full_name: `mallory/${REPO}`, name: REPO, owner: { login: "mallory" }, fork: true }
    : baseRepo;
  return {
    action: "synchronize",
    number: PR_NUMBER,
    pull_request: {
      url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`,
      number: PR_NUMBER,
      state: "open",
      title: "Add the production client",
      user: { login: options.fork ? "mallory" : "ada" },
      commits: options.commits ?? 1,
      base: { label: `${OWNER}:main`, ref: "main", sha: repo.base, repo: baseRepo },
      head: {
        label: `${options.fork ? "mallory" : OWNER}:feature`,
        ref: "feature",
        sha: repo.head,
        repo: headRepo,
      },
    },
    repository: { ...baseRepo, default_branch: "main" },
    sender: { login: options.fork ? "mallory" : "ada" },
  };
}

/** Standard output as the log shows it: the `::add-mask::` registrations are not logged. */
export function loggedLines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => !line.startsWith("::add-mask::"));
}

/**
 * The GitHub stand-in for this test's pull request, closed when the test ends. `readOnly`: the
 * token of a pull request from a fork.
 */
export async function standInGithub(readOnly = false): Promise<StandInGithub> {
  const github = await startStandInGithub({
    owner: OWNER,
    repo: REPO,
    pullNumber: PR_NUMBER,
    readOnly,
  });
  onTestFinished(() => github.close());
  return github;
}
