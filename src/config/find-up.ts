import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The nearest file of one of `names` (tried in order in each folder) from `start` upward: `start`
 * is a folder, or a file whose folder begins the walk. With `withinRepository`, the walk stops
 * at the folder holding .git, so a file outside the repository never applies.
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
  for (;;) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir || (withinRepository && existsSync(join(dir, ".git")))) return undefined;
    dir = parent;
  }
}
