import { dirname, posix } from "node:path";
import { repositoryTop } from "../config/find-up.js";
import { pathInside } from "../posix-path.js";
import type { Fragment } from "../types.js";

/**
 * Git sources name paths from the repository's top, while a config's globs read paths from the
 * config's own folder. For a config in a subfolder (`staged` or `history` run inside a package
 * that has its own), the way from the one to the other: a path outside that folder comes out
 * as `../…`, which no glob of the config matches, as a .gitignore applies only below it.
 * Undefined when the two agree (a config at the top, or none).
 */
export function globPathFromTop(
  configFile: string | undefined,
  cwd: string,
): ((path: string) => string) | undefined {
  if (configFile === undefined) return undefined;
  const top = repositoryTop(cwd);
  if (top === undefined) return undefined;
  const folder = pathInside(top, dirname(configFile));
  if (!folder) return undefined;
  return (path) => posix.relative(folder, path);
}

/** The fragments with the path their config's globs read, when it is not their own. */
export async function* withGlobPaths(
  fragments: AsyncIterable<Fragment>,
  globPath: ((path: string) => string) | undefined,
): AsyncGenerator<Fragment> {
  if (!globPath) {
    yield* fragments;
    return;
  }
  for await (const fragment of fragments) yield { ...fragment, globPath: globPath(fragment.path) };
}
