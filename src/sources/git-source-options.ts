import { configGlobMatcher } from "../config/config-globs.js";
import type { GitContext } from "../git/run-git.js";
import type { SkipNotice } from "../types.js";

/** What every git-backed source needs besides its own selection of commits. */
export interface GitSourceOptions extends GitContext {
  /** Files (or added text, for diffs) larger than this many bytes are skipped and reported. */
  readonly maxFileSize: number;
  /** Called for everything passed over, so the summary can count it. */
  readonly onSkip: (notice: SkipNotice) => void;
  /** The config's path excludes (repository-relative POSIX paths): excluded files are not read. */
  readonly isExcluded?: (path: string) => boolean;
}

/**
 * The config's exclude globs as a predicate on paths from the repository's top (undefined when
 * there are none); `globPath` reads such a path from the config's folder (see globPathFromTop).
 */
export function excludeMatcher(
  globs: readonly string[],
  globPath?: (path: string) => string,
): ((path: string) => boolean) | undefined {
  const matches = configGlobMatcher(globs);
  if (!matches || !globPath) return matches;
  return (path) => matches(globPath(path));
}
