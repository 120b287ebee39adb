import type { CompiledAllow } from "../config/compile-rules.js";

/**
 * Whether the config's own allowlist covers everything found at a place of history: a path
 * its `allow.paths` matches, or a commit its `allow.commits` names. Undefined when it names
 * neither, so a history scan without them tests nothing per blob.
 */
export function allowedPlaceMatcher(
  allow: CompiledAllow,
  globPath: (path: string) => string = (path) => path,
): ((path: string, commit: string) => boolean) | undefined {
  const { paths, commits } = allow;
  if (!paths && commits.length === 0) return undefined;
  return (path, commit) =>
    paths?.(globPath(path)) === true || commits.some((allowed) => commit.startsWith(allowed));
}
