import { isAbsolute, relative, sep } from "node:path";

/** A path with `/` between its parts, as git, globs and reports write paths on every system. */
export function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/**
 * `target` from `root`, in POSIX form (`""` for `root` itself), when it lies inside `root`;
 * undefined when it lies outside (`..`, another drive). A name that only starts with two dots
 * (`..env`) is inside.
 */
export function pathInside(root: string, target: string): string | undefined {
  const inside = relative(root, target);
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  return toPosix(inside);
}
