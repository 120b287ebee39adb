import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The nearest file of one of `names` (tried in order in each folder) from `start` upward: `start`
 * is a folder, or a file whose folder begins the walk. With `withinRepository`, the walk stops
 * at the folder holding .git, so a file outside the repository never applies; outside any
 * repository only `start`'s own folder is looked in (a stray file in /tmp must not apply to
 * every scan below it).
 */
export function findUp(
  start: string,
  names: readonly string[],
  withinRepository = false,
): string | undefined {
  let dir = resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  const last = withinRepository ? (repositoryTop(dir) ?? dir) : undefined;
  for (;;) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir || dir === last) return undefined;
    dir = parent;
  }
}

/** The nearest folder from `start` upward that holds .git (a folder, or a worktree's file). */
export function repositoryTop(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
