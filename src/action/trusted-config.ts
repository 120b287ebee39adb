import { isAbsolute, posix, relative, resolve } from "node:path";
import { CONFIG_FILE_NAMES } from "../config/load-config.js";
import { ConfigError } from "../errors.js";
import type { GitContext } from "../git/run-git.js";
import { runGitRaw } from "../git/run-git.js";
import type { Suppressions } from "../suppress/apply-suppressions.js";
import {
  GITLEAKS_IGNORE_FILE_NAME,
  IGNORE_FILE_NAME,
  type IgnoreFileEntry,
  parseIgnoreFile,
} from "../suppress/ignore-file.js";

/**
 * Where the scan's config and ignore files come from. On a pull request they are read from the
 * base commit, never from the pull request itself: otherwise it could add a key and, in the same
 * diff, allowlist it, disable its rule or list its fingerprint in .keywardenignore. A push is
 * read at its own commit: whoever pushes may change the config anyway.
 */
export interface TrustedConfig {
  /** Config text for the scan; undefined: the usual discovery in the checkout. */
  readonly configText?: { readonly text: string; readonly name: string };
  /** A config file on disk (`config` input outside the repository, or a run with no base). */
  readonly configPath?: string;
  /** Ignore entries for the scan; undefined: the usual discovery in the checkout. */
  readonly suppressions?: Suppressions;
  /** One line for the summary: where the config came from. */
  readonly description: string;
  /** Config and ignore files the change itself edits (their edits apply once merged). */
  readonly changedFiles: readonly string[];
  /** Set when the `config` input names no file at the commit: a typo, or a file the change adds. */
  readonly configMissing?: boolean;
}

export interface TrustedConfigOptions extends GitContext {
  /** The repository's top directory. */
  readonly root: string;
  /** The commit to read from; undefined: read the checkout. */
  readonly commit?: string;
  /** How summaries name `commit` ("base commit", "pushed commit"). */
  readonly commitLabel?: string;
  /** The change's last commit, to tell whether it edits the config. */
  readonly head?: string;
  /** The `config` input, relative to the workspace (cwd). */
  readonly configInput?: string;
}

/** Both ignore files a scan honours: read at the commit, and watched for edits. */
const IGNORE_FILES = [IGNORE_FILE_NAME, GITLEAKS_IGNORE_FILE_NAME] as const;

/** Symbolic links followed from one path at most: more is a loop, read as no file. */
const MAX_LINKS = 5;

/**
 * The file's text at `commit`, or undefined when there is no such file there. A symbolic link
 * is followed inside the commit (a config kept in a folder and linked from the root), never out
 * of the repository.
 */
async function readAt(
  commit: string,
  path: string,
  context: GitContext,
  links = 0,
): Promise<string | undefined> {
  const result = await runGitRaw(["cat-file", "blob", `${commit}:${path}`], context);
  if (result.code !== 0) return undefined;
  const text = result.stdout.toString("utf8");
  const entry = await runGitRaw(["ls-tree", "--full-tree", commit, "--", path], context);
  if (!entry.stdout.toString("utf8").startsWith("120000 ")) return text;
  const target = posix.normalize(posix.join(posix.dirname(path), text));
  if (links >= MAX_LINKS || target.startsWith("../") || posix.isAbsolute(target)) return undefined;
  return readAt(commit, target, context, links + 1);
}

async function changedPaths(
  base: string,
  head: string,
  paths: readonly string[],
  context: GitContext,
): Promise<string[]> {
  const result = await runGitRaw(
    [
      "diff",
      "--name-only",
      "--no-renames",
      // Paths from the top whatever the user's diff.relative says.
      "--no-relative",
      "-z",
      `${base}...${head}`,
      "--",
      ...paths,
    ],
    context,
  );
  if (result.code !== 0) return [];
  return result.stdout.toString("utf8").split("\0").filter(Boolean);
}

function toPosix(path: string): string {
  return path.split("\\").join("/");
}

export async function readTrustedConfig(options: TrustedConfigOptions): Promise<TrustedConfig> {
  const { commit, configInput } = options;
  const configOnDisk = configInput !== undefined ? resolve(options.cwd, configInput) : undefined;
  const inRepo = configOnDisk !== undefined ? relative(options.root, configOnDisk) : undefined;
  const outsideRepo = inRepo !== undefined && (inRepo.startsWith("..") || isAbsolute(inRepo));

  if (commit === undefined) {
    return {
      ...(configInput !== undefined ? { configPath: configInput } : {}),
      description: configInput !== undefined ? `config ${configInput}` : "config from the checkout",
      changedFiles: [],
    };
  }
  const short = commit.slice(0, 12);
  const label = options.commitLabel ?? "commit";
  const context = { cwd: options.root, env: options.env };

  const ignore: IgnoreFileEntry[] = [];
  for (const name of IGNORE_FILES) {
    const text = await readAt(commit, name, context);
    if (text !== undefined) ignore.push(...parseIgnoreFile(text, `${name}@${short}`));
  }
  const suppressions: Suppressions = { ignore };

  const candidates =
    inRepo !== undefined && !outsideRepo ? [toPosix(inRepo)] : [...CONFIG_FILE_NAMES];
  const watched = [...candidates, ...IGNORE_FILES];
  const changedFiles =
    options.head !== undefined ? await changedPaths(commit, options.head, watched, context) : [];

  if (outsideRepo) {
    // A file outside the repository is not part of the change: the workflow put it there.
    return {
      configPath: configInput!,
      suppressions,
      description: `config ${configInput}`,
      changedFiles,
    };
  }
  const read = await Promise.all(
    candidates.map(async (path) => ({ path, text: await readAt(commit, path, context) })),
  );
  const present = read.filter((file) => file.text !== undefined);
  // As the CLI refuses them: one of the two would be read and the other silently not.
  if (present.length > 1) {
    throw new ConfigError(
      `${present.map((file) => file.path).join(" and ")} at ${label} ${short}: two config files in one folder; keep one (keywarden would read only ${present[0]!.path})`,
    );
  }
  const [found] = present;
  if (found?.text !== undefined) {
    return {
      configText: { text: found.text, name: `${found.path}@${short}` },
      suppressions,
      description: `config ${found.path} from ${label} ${short}`,
      changedFiles,
    };
  }
  return {
    // No config at the base: built-in rules only, whatever the change adds.
    configText: { text: "", name: `(no config at ${short})` },
    suppressions,
    description:
      configInput !== undefined
        ? `built-in rules: ${configInput} does not exist at ${label} ${short}`
        : `built-in rules: no config at ${label} ${short}`,
    changedFiles,
    ...(configInput !== undefined ? { configMissing: true } : {}),
  };
}
