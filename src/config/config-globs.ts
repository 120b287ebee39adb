import picomatch from "picomatch";

/**
 * The path globs of a config (exclude, allow.paths, rules' paths), read as a .gitignore reads
 * its lines, so that each glob means the same alone or in a list:
 *
 * - a glob with no `/` but a trailing one matches a name at any depth (`*.snap`, `vendor`);
 * - any other is anchored to the config's folder; a leading `/` only says so (`/vendor/**`);
 * - a glob also matches everything inside the folders it names (`vendor`, `vendor/`, `build/out`);
 * - `!` takes back what an earlier glob of the list matched; the last glob that matches decides.
 *
 * Paths are POSIX, relative to the config's folder (the repository's top for git sources).
 */
export type PathMatcher = (path: string) => boolean;

/** What a glob must not be, each with the config error that says why. */
export const GLOB_CHECKS: readonly {
  readonly accepts: (glob: string) => boolean;
  readonly message: string;
}[] = [
  {
    // On Windows a \ separates folders; in a glob it escapes, so `vendor\**` would match nothing.
    accepts: (glob) => !glob.includes("\\"),
    message:
      "a \\ in a glob escapes the next character: separate folders with /, and write [*] for a character taken literally",
  },
  {
    accepts: (glob) => glob.replace(/^!/, "").replace(/^\/+|\/+$/g, "") !== "",
    message: "names no path",
  },
];

/** The picomatch patterns one config glob stands for (itself, and what lies inside it). */
function expand(glob: string): string[] {
  const folderOnly = glob.endsWith("/");
  const trimmed = glob.replace(/\/+$/, "");
  const anchored = trimmed.startsWith("/") || trimmed.includes("/");
  const path = trimmed.replace(/^\/+/, "");
  const base = anchored ? path : `**/${path}`;
  // `vendor/` names a folder (a path ending in a slash, as the walk names folders) and its
  // contents, never a file.
  return folderOnly ? [`${base}/`, `${base}/**/*`] : [base, `${base}/**`];
}

// `s`: a `**` also spans names holding a line break (picomatch's `.` leaves them out otherwise).
const OPTIONS = { dot: true, flags: "s" } as const;

/** One matcher for a list of config globs; undefined for none. */
export function configGlobMatcher(globs: readonly string[] | undefined): PathMatcher | undefined {
  if (!globs || globs.length === 0) return undefined;
  const entries = globs.map((glob) => {
    const negated = glob.startsWith("!");
    return { negated, test: picomatch(expand(negated ? glob.slice(1) : glob), OPTIONS) };
  });
  if (!entries.some((entry) => entry.negated)) {
    const any = picomatch(globs.flatMap(expand), OPTIONS);
    return (path) => any(path);
  }
  return (path) => {
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index]!;
      if (entry.test(path)) return !entry.negated;
    }
    return false;
  };
}
