import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { runGitRaw } from "../git/run-git.js";
import type { RepositoryInfo } from "../report/format.js";

/**
 * A remote URL as a URI fit for a report: credentials removed (a token in a remote URL must
 * never reach a SARIF file), scp-like `git@host:path` turned into `ssh://host/path`.
 */
export function publicRemoteUri(remote: string): string | undefined {
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(remote);
  if (scpLike && !/^[a-z][a-z0-9+.-]*:\/\//i.test(remote))
    return `ssh://${scpLike[1]}/${scpLike[2]}`;
  try {
    const url = new URL(remote);
    url.username = "";
    url.password = "";
    return url.href;
  } catch {
    return undefined;
  }
}

/** The git repository holding `path` (origin URI, HEAD, branch), or undefined outside one. */
export async function repositoryInfo(
  path: string,
  context: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<RepositoryInfo | undefined> {
  let dir = resolve(context.cwd, path);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    return undefined;
  }
  const git = { cwd: dir, env: context.env };
  let top: Awaited<ReturnType<typeof runGitRaw>>;
  try {
    top = await runGitRaw(["rev-parse", "--show-toplevel"], git);
  } catch {
    return undefined;
  }
  if (top.code !== 0) return undefined;
  const root = top.stdout.toString("utf8").trim();
  const [origin, head, branch] = await Promise.all([
    runGitRaw(["remote", "get-url", "origin"], git),
    runGitRaw(["rev-parse", "--verify", "--quiet", "HEAD"], git),
    runGitRaw(["symbolic-ref", "--short", "--quiet", "HEAD"], git),
  ]);
  const remote =
    origin.code === 0 ? publicRemoteUri(origin.stdout.toString("utf8").trim()) : undefined;
  const revision = head.code === 0 ? head.stdout.toString("utf8").trim() : "";
  const branchName = branch.code === 0 ? branch.stdout.toString("utf8").trim() : "";
  return {
    uri: remote ?? pathToFileURL(`${root}/`).href,
    ...(revision ? { revision } : {}),
    ...(branchName ? { branch: branchName } : {}),
  };
}
