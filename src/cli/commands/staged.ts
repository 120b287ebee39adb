import type { CommandModule } from "yargs";
import { escapeControls } from "../../report/escape-controls.js";
import { excludeMatcher } from "../../sources/git-source-options.js";
import { stagedFragments } from "../../sources/staged-diff.js";
import type { Finding } from "../../types.js";
import { executeScan } from "../execute-scan.js";
import type { CommandContext } from "../io.js";
import type { PlainCommand } from "../plain-args.js";
import { readScanOptions, withScanOptions } from "../scan-options.js";

/**
 * `path` as one word of a POSIX shell command, to copy and paste: bare when it holds only safe
 * characters, else in single quotes, inside which only a quote needs care ('\'').
 */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** What the person committing reads when the hook stops the commit. */
export function blockedCommitMessage(findings: readonly Finding[]): string {
  // Names shown with their control characters escaped; the unstage hint below quotes them whole.
  const places = findings.map(
    (finding) =>
      `  ${escapeControls(finding.path)}:${finding.line}  ${finding.title} (${finding.provider})`,
  );
  const files = [...new Set(findings.map((finding) => finding.path))];
  return [
    `keywarden: commit blocked: ${findings.length === 1 ? "a secret is" : `${findings.length} secrets are`} in the staged changes`,
    ...places,
    "To go on, either:",
    "  - move the key out of the code (an environment variable or a secrets manager), then git add the file again;",
    // `--`: a file named like an option (-x) is still a file.
    `  - unstage it: git restore --staged -- ${files.map(shellWord).join(" ")};`,
    "  - or, for a false positive, add a keywarden:allow comment on that line.",
    "",
  ].join("\n");
}

/**
 * The staged scan, from the options record yargs parses or the one the hook's fast path reads
 * (plain-args.ts): one handler for both.
 */
async function runStaged(context: CommandContext, argv: Record<string, unknown>): Promise<void> {
  const options = readScanOptions(argv);
  const { io } = context;
  await executeScan(context, {
    source: "staged",
    scanRoot: ".",
    options,
    fragments: (config, onSkip) =>
      stagedFragments({
        cwd: io.cwd,
        env: io.env,
        maxFileSize: config.maxFileSize,
        onSkip,
        isExcluded: excludeMatcher(config.exclude),
      }),
    onFindings: (findings) => {
      if (!options.quiet) io.stderr.write(blockedCommitMessage(findings));
    },
  });
}

export const plainStaged: PlainCommand = { options: [], run: runStaged };

export function stagedCommand(context: CommandContext): CommandModule {
  return {
    command: "staged",
    describe: "Scan the lines the next commit adds (git diff --cached): the pre-commit guard",
    builder: (yargs) => withScanOptions(yargs),
    handler: (argv) => runStaged(context, argv),
  };
}
