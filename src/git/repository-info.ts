import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { simpleGit } from "simple-git";
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

/**
 * The git repository holding `path` (origin URI, HEAD, branch), or undefined outside one.
 * Plain metadata queries, so simple-git runs them; the streaming reads (cat-file, log, diff)
 * use run-git.ts.
 */
export async function repositoryInfo(
  path: string,
  context: { cwd: string },
): Promise<RepositoryInfo | undefined> {
  let dir = resolve(context.cwd, path);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    return undefined;
  }
  const git = simpleGit({ baseDir: dir });
  const ask = (args: string[]) =>
    git.raw(args).then(
      (out) => out.trim(),
      () => "",
    );
  const root = await ask(["rev-parse", "--show-toplevel"]);
  if (!root) return undefined;
  const [origin, revision, branch] = await Promise.all([
    ask(["remote", "get-url", "origin"]),
    ask(["rev-parse", "--verify", "--quiet", "HEAD"]),
    ask(["symbolic-ref", "--short", "--quiet", "HEAD"]),
  ]);
  const remote = origin ? publicRemoteUri(origin) : undefined;
  return {
    uri: remote ?? pathToFileURL(`${root}/`).href,
    ...(revision ? { revision } : {}),
    ...(branch ? { branch } : {}),
  };
}
