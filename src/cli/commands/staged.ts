import type { CommandModule } from "yargs";
import type { ResolvedConfig } from "../../config/load-config.js";
import { changeContext } from "../../engine/change-context.js";
import { runGitRaw, type StartedGitOutput } from "../../git/run-git.js";
import { escapeControls } from "../../report/escape-controls.js";
import { globPathFromTop, withGlobPaths } from "../../sources/config-paths.js";
import type { GitSourceOptions } from "../../sources/git-source-options.js";
import { excludeMatcher } from "../../sources/git-source-options.js";
import { stagedFragments, startStagedDiff } from "../../sources/staged-diff.js";
import type { Finding, Fragment } from "../../types.js";
import { executeScan } from "../execute-scan.js";
import type { CommandContext } from "../io.js";
import { pathsGiven } from "../paths-given.js";
import type { PlainCommand } from "../plain-args.js";
import { readScanOptions, withScanOptions } from "../scan-options.js";

/**
 * `path` as one word of a POSIX shell command, to copy and paste: bare when it holds only safe
 * characters, else in single quotes, inside which only a quote needs care ('\'').
 */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * What the person committing reads when the hook stops the commit. `wholeFiles`: paths were
 * named, and those with nothing staged were scanned whole (pre-commit run --all-files).
 */
function blockedCommitMessage(
  findings: readonly Finding[],
  wholeFiles: boolean,
  firstCommit: boolean,
): string {
  // Names shown with their control characters escaped; the unstage hint below quotes them whole.
  const places = findings.map(
    (finding) =>
      `  ${escapeControls(finding.path)}:${finding.line}  ${finding.title} (${finding.provider})`,
  );
  const files = [...new Set(findings.map((finding) => finding.path))];
  return [
    `keywarden: commit blocked: ${findings.length === 1 ? "a secret is" : `${findings.length} secrets are`} in the ${wholeFiles ? "files checked" : "staged changes"}`,
    ...places,
    "To go on, either:",
    "  - move the key out of the code (an environment variable or a secrets manager), then git add the file again;",
    // `--`: a file named like an option (-x) is still a file. `:(top,literal)` reads the path
    // from the top of the work tree, wherever the person's shell stands (a hook runs at the
    // top), and takes `*` or `\` in a name as themselves. Before the first commit there is no
    // HEAD to restore from.
    `  - ${wholeFiles ? "if it is staged, " : ""}unstage it: git ${firstCommit ? "rm --cached" : "restore --staged"} -- ${files.map((file) => shellWord(`:(top,literal)${file}`)).join(" ")};`,
    "  - or, for a false positive, add a keywarden:allow comment on that line.",
    "",
  ].join("\n");
}

/**
 * The named paths' fragments. Loaded only then: the working-tree source brings fast-glob and
 * more, which the hook's usual run does not need.
 */
async function* namedPathFragments(
  io: CommandContext["io"],
  paths: readonly string[],
  git: GitSourceOptions,
  config: ResolvedConfig,
): AsyncGenerator<Fragment> {
  const [{ stagedPathFragments }, { filesScan }] = await Promise.all([
    import("../../sources/staged-paths.js"),
    import("../files-scan.js"),
  ]);
  yield* stagedPathFragments({
    ...git,
    paths,
    scanWhole: (unstaged) => filesScan(io, unstaged, true).fragments(config, git.onSkip),
  });
}

/**
 * The staged scan, from the options record yargs parses or the one the hook's fast path reads
 * (plain-args.ts): one handler for both.
 */
async function runStaged(context: CommandContext, argv: Record<string, unknown>): Promise<void> {
  const options = readScanOptions(argv);
  const paths = pathsGiven(argv, 1);
  const { io } = context;
  // Started before the config loads, to run while the rules compile (see startStagedDiff).
  const started = paths.length === 0 ? startStagedDiff(io) : undefined;
  try {
    await scanStaged(context, options, paths, started);
  } finally {
    started?.close();
  }
}

async function scanStaged(
  context: CommandContext,
  options: ReturnType<typeof readScanOptions>,
  paths: readonly string[],
  started: StartedGitOutput | undefined,
): Promise<void> {
  const { io } = context;
  await executeScan(context, {
    source: "staged",
    scanRoot: ".",
    options,
    fragments: (config, onSkip) => {
      const globPath = globPathFromTop(config.configFile, io.cwd);
      const git = {
        cwd: io.cwd,
        env: io.env,
        maxFileSize: config.maxFileSize,
        onSkip,
        isExcluded: excludeMatcher(config.exclude, globPath),
        // The new version of each changed file is read as far around its added lines as the
        // rules reach, so the hook finds what a scan of the file finds on them.
        contextAround: changeContext(config.rules),
      };
      const fragments =
        paths.length === 0
          ? stagedFragments({ ...git, started })
          : namedPathFragments(io, paths, git, config);
      return withGlobPaths(fragments, globPath);
    },
    onFindings: async (findings) => {
      if (options.quiet) return;
      const head = await runGitRaw(["rev-parse", "--verify", "--quiet", "HEAD"], io);
      io.stderr.write(blockedCommitMessage(findings, paths.length > 0, head.code !== 0));
    },
  });
}

export const plainStaged: PlainCommand = { options: [], positionals: "paths", run: runStaged };

export function stagedCommand(context: CommandContext): CommandModule {
  return {
    command: "staged [paths..]",
    describe:
      "Scan the lines the next commit adds (git diff --cached): the pre-commit guard. Paths given: only those, and a path with nothing staged is scanned whole",
    builder: (yargs) =>
      // File names that look like options were moved after a `--` (see file-args.ts).
      withScanOptions(yargs).positional("paths", {
        describe: "Files or folders (as the pre-commit framework passes them)",
        type: "string",
        array: true,
      }),
    handler: (argv) => runStaged(context, argv),
  };
}
