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
 * Paths are POSIX, relative to the config's folder (git sources' too: see sources/config-paths.ts).
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
  {
    // Paths are read from the config's folder down: a glob climbing out of it matches nothing.
    accepts: (glob) => !glob.split("/").includes(".."),
    message: "a .. segment matches nothing: globs name paths inside the config's folder",
  },
];

/** A glob as picomatch reads it, and whether it names folders only (a trailing `/`). */
function baseOf(glob: string): { pattern: string; folderOnly: boolean } {
  const folderOnly = glob.endsWith("/");
  const trimmed = glob.replace(/\/+$/, "");
  const anchored = trimmed.startsWith("/") || trimmed.includes("/");
  const path = trimmed.replace(/^\/+/, "");
  return { pattern: anchored ? path : `**/${path}`, folderOnly };
}

// `s`: a `**` also spans names holding a line break (picomatch's `.` leaves them out otherwise).
const OPTIONS = { dot: true, flags: "s" } as const;

/**
 * Matchers made, by their list: compiling globs is most of what testing a path costs on the
 * pre-commit path, and rules share lists (the lock files generic rules pass over).
 */
const made = new Map<string, PathMatcher>();

/** One matcher for a list of config globs; undefined for none. */
export function configGlobMatcher(globs: readonly string[] | undefined): PathMatcher | undefined {
  if (!globs || globs.length === 0) return undefined;
  const key = JSON.stringify(globs);
  let matcher = made.get(key);
  if (!matcher) {
    matcher = compileGlobs(globs);
    made.set(key, matcher);
  }
  return matcher;
}

function compileGlobs(globs: readonly string[]): PathMatcher {
  if (!globs.some((glob) => glob.startsWith("!"))) return listMatcher(globs);
  const entries = globs.map((glob) => {
    const negated = glob.startsWith("!");
    return { negated, test: listMatcher([negated ? glob.slice(1) : glob]) };
  });
  return (path) => {
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index]!;
      if (entry.test(path)) return !entry.negated;
    }
    return false;
  };
}

/**
 * Whether a path, or a folder it lies in, matches one of the globs: a glob also covers what is
 * inside what it names. A folder-only glob matches folders, named with their trailing slash.
 * Each kind is one expression, compiled once per list: compiling globs is most of what path
 * tests cost on the pre-commit path.
 */
function listMatcher(globs: readonly string[]): PathMatcher {
  const bases = globs.map(baseOf);
  const any = union(bases.filter((base) => !base.folderOnly).map((base) => base.pattern));
  const folders = union(bases.filter((base) => base.folderOnly).map((base) => `${base.pattern}/`));
  return (path) => {
    if (any?.test(path) || (path.endsWith("/") && folders?.test(path))) return true;
    for (let end = path.lastIndexOf("/", path.length - 2); end > 0; ) {
      const folder = path.slice(0, end);
      if (any?.test(folder) || folders?.test(`${folder}/`)) return true;
      end = path.lastIndexOf("/", end - 1);
    }
    return false;
  };
}

/**
 * Expressions picomatch made at build time, by pattern: the built-in rules' globs, which every
 * pre-commit run would otherwise compile again (about 3 ms).
 */
const prebuilt = new Map<string, string>();

/** Takes expressions made at build time by globSources. */
export function usePrebuiltGlobs(sources: Readonly<Record<string, string>>): void {
  for (const [pattern, source] of Object.entries(sources)) prebuilt.set(pattern, source);
}

/** What picomatch makes of a pattern, as the expression's source. */
function patternSource(pattern: string): string {
  return prebuilt.get(pattern) ?? picomatch.makeRe(pattern, OPTIONS).source;
}

/** The expressions a matcher for these globs would compile, by pattern, for usePrebuiltGlobs. */
export function globSources(globs: readonly string[]): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const glob of globs) {
    const { pattern, folderOnly } = baseOf(glob.replace(/^!/, ""));
    const compiled = folderOnly ? `${pattern}/` : pattern;
    sources[compiled] = picomatch.makeRe(compiled, OPTIONS).source;
  }
  return sources;
}

/** The patterns as one expression, each as picomatch reads it; undefined for none. */
function union(patterns: readonly string[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  const sources = patterns.map((pattern) => `(?:${patternSource(pattern)})`);
  return new RegExp(sources.join("|"), OPTIONS.flags);
}
