import type { Argv, CommandModule, default as createYargs } from "yargs";
import { isKeywardenError, UsageError } from "../errors.js";
import { escapeControls } from "../report/escape-controls.js";
import { DEBUG_OPTION } from "./debug-option.js";
import type { CliIo, CommandContext } from "./io.js";
import { withOptions } from "./option-spec.js";
import type { PlainCommand } from "./plain-args.js";
import type { describeUnknownOptions } from "./unknown-options.js";

type CommandFactory = (context: CommandContext) => CommandModule;

interface CommandEntry {
  readonly name: string;
  readonly load: () => Promise<CommandFactory>;
}

/**
 * Every command, one module each, loaded on demand: `keywarden staged` in a pre-commit hook
 * never parses the code of `scan`, `revoke` or the report formats. Handlers are wiring; the
 * work lives in the stage folders.
 */
const COMMANDS: readonly CommandEntry[] = [
  { name: "scan", load: async () => (await import("./commands/scan.js")).scanCommand },
  { name: "stdin", load: async () => (await import("./commands/stdin.js")).stdinCommand },
  { name: "staged", load: async () => (await import("./commands/staged.js")).stagedCommand },
  { name: "history", load: async () => (await import("./commands/history.js")).historyCommand },
  { name: "verify", load: async () => (await import("./commands/verify.js")).verifyCommand },
  { name: "revoke", load: async () => (await import("./commands/revoke.js")).revokeCommand },
  { name: "hook", load: async () => (await import("./commands/hook.js")).hookCommand },
  { name: "rules", load: async () => (await import("./commands/rules.js")).rulesCommand },
  { name: "baseline", load: async () => (await import("./commands/baseline.js")).baselineCommand },
  { name: "ignore", load: async () => (await import("./commands/ignore.js")).ignoreCommand },
  { name: "import", load: async () => (await import("./commands/import.js")).importCommand },
  { name: "report", load: async () => (await import("./commands/report.js")).reportCommand },
];

/** The named command alone when the command line starts with one; all of them for help. */
function loadCommands(argv: readonly string[]): Promise<CommandFactory[]> {
  const first = argv.find((arg) => !arg.startsWith("-"));
  const named = COMMANDS.find((entry) => entry.name === first);
  return Promise.all((named ? [named] : COMMANDS).map((entry) => entry.load()));
}

function buildParser(
  yargs: typeof createYargs,
  version: string,
  argv: readonly string[],
  context: CommandContext,
  commands: readonly CommandFactory[],
  describeUnknown: typeof describeUnknownOptions,
): Argv {
  // --debug is declared at the top level, where yargs makes an option global: every command
  // takes it and lists it in its --help.
  let parser = withOptions(yargs([...argv]), [DEBUG_OPTION])
    .scriptName("keywarden")
    .usage(
      "$0 <command> [options]\n\nFinds leaked keys in files and git history, checks whether they are live, revokes them.",
    )
    .epilogue("Exit codes: 0 nothing found, 1 findings, 2 usage, config or runtime error.")
    .version(version)
    .help()
    .alias("h", "help")
    .strict()
    .demandCommand(1, "Name a command (keywarden --help lists them).")
    .recommendCommands()
    // Wrapping help text costs ~50 ms, and yargs renders help on every run (for error
    // messages); only a request for help pays for it.
    .wrap(argv.includes("--help") || argv.includes("-h") ? 100 : null)
    .exitProcess(false)
    .fail((message, error) => {
      // yargs' own parse errors (YError: an option without its value) are usage errors too;
      // anything else a handler threw goes on as it is.
      if (error && error.name !== "YError") throw error;
      // Some of yargs' messages run over several lines; ours are one.
      const text = message ?? error?.message ?? "invalid command line";
      throw new UsageError(
        describeUnknown(text.replace(/\s*\n\s*/g, " "), argv, declaredOptions(parser)),
      );
    });
  parser = parser.middleware(lastValueWins(parser), true);
  for (const factory of commands) parser = parser.command(factory(context));
  skipHelpCache(parser);
  return parser;
}

/** yargs' declared options, of the command being run; its typings leave getOptions out. */
function optionsOf(parser: Argv): { key: Record<string, unknown>; array: readonly string[] } {
  return (parser as unknown as { getOptions: () => ReturnType<typeof optionsOf> }).getOptions();
}

/** The long options of the command being run (and the global ones), dashed as declared. */
function declaredOptions(parser: Argv): string[] {
  return Object.keys(optionsOf(parser).key).filter((name) => !/[A-Z]/.test(name));
}

/**
 * An option given twice takes its last value, as a wrapper script adding its own `-f json` after
 * the user's expects; repeatable options and positionals (--rules, paths) keep them all. Run
 * before validation, so that `--format` is checked as the one value it now is.
 */
function lastValueWins(parser: Argv): (parsed: Record<string, unknown>) => void {
  return (parsed) => {
    // `_` and `--` hold positionals and what follows a `--`.
    const repeatable = new Set(["_", "--", ...optionsOf(parser).array]);
    for (const [key, value] of Object.entries(parsed)) {
      if (Array.isArray(value) && !repeatable.has(key)) parsed[key] = value.at(-1);
    }
  };
}

/**
 * yargs renders the whole help text before every command handler runs, to have it ready for
 * its own failure messages; that is ~45 ms of text layout on every run. Failures here
 * go through `.fail()` above, which never prints that help, so the rendering is skipped.
 */
function skipHelpCache(parser: Argv): void {
  const internals = (
    parser as unknown as {
      getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
    }
  )
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (internals?.cacheHelpMessage) internals.cacheHelpMessage = () => {};
}

/**
 * Commands whose usual command lines run without yargs (see plain-args.ts): the pre-commit hook
 * and CI's history sweeps, where loading yargs and building its parser is a tenth to a quarter
 * of the run.
 */
const PLAIN_COMMANDS: Readonly<Record<string, () => Promise<PlainCommand>>> = {
  staged: async () => (await import("./commands/staged.js")).plainStaged,
  history: async () => (await import("./commands/history.js")).plainHistory,
};

/** Runs a plain command line; false for whatever that reading leaves to yargs. */
async function runPlain(argv: readonly string[], context: CommandContext): Promise<boolean> {
  const name = argv[0];
  const load =
    name !== undefined && Object.hasOwn(PLAIN_COMMANDS, name) ? PLAIN_COMMANDS[name] : undefined;
  if (!load) return false;
  const [{ readPlainArgs }, command] = await Promise.all([import("./plain-args.js"), load()]);
  const args = readPlainArgs(argv.slice(1), command);
  if (!args) return false;
  await command.run(context, args);
  return true;
}

/**
 * Parses with yargs and runs the command; returns the help or version text yargs wrote. Its
 * modules are imported here, not at the top, so that this file loads nothing before the hook's
 * path starts fetching its own modules.
 */
async function runWithYargs(argv: readonly string[], context: CommandContext): Promise<string> {
  let helpOutput = "";
  const [{ default: yargs }, { toolInfo }, { describeUnknownOptions }, commands] =
    await Promise.all([
      import("yargs"),
      import("../tool-info.js"),
      import("./unknown-options.js"),
      loadCommands(argv),
    ]);
  await buildParser(
    yargs,
    toolInfo().version,
    argv,
    context,
    commands,
    describeUnknownOptions,
  ).parseAsync([...argv], {}, (error, _parsed, output) => {
    if (error) throw error;
    helpOutput = output;
  });
  return helpOutput;
}

/** The options whose value may be `-`, for standard output. */
const OUTPUT_FLAGS: ReadonlySet<string> = new Set(["-o", "--output"]);

/**
 * `-o -` and `--output -` as `--output=-`: yargs reads a lone `-` after a long option as no
 * value at all (and would write to the default file), and the check below refuses a lone `-`.
 */
function withOutputValues(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf("--");
  const joined: string[] = [];
  for (const [index, arg] of argv.entries()) {
    const before = end === -1 || index < end;
    const previous = joined.at(-1) ?? "";
    // `-qo -`: short flags run together, the last of them -o.
    const grouped = /^-[a-zA-Z]+o$/.test(previous);
    if (before && arg === "-" && (OUTPUT_FLAGS.has(previous) || grouped)) {
      joined.pop();
      if (grouped) joined.push(previous.slice(0, -1));
      joined.push("--output=-");
    } else joined.push(arg);
  }
  return joined;
}

/**
 * Runs one command line and returns the exit code. The only catch in the program: known errors
 * become one line on stderr and exit 2; anything else is a bug, shown with its stack.
 */
export async function run(commandLine: readonly string[], io: CliIo): Promise<number> {
  const context: CommandContext = { io, exitCode: 0 };
  const given =
    commandLine[0] === "staged"
      ? [
          "staged",
          ...(await import("./file-args.js")).fileNamesAsPaths(commandLine.slice(1), io.cwd),
        ]
      : commandLine;
  const argv = withOutputValues(given);
  const end = argv.indexOf("--");
  const options = end === -1 ? argv : argv.slice(0, end);
  const debug = options.includes("--debug");
  try {
    // yargs drops a lone `-`: a scan of it would quietly scan the current folder instead.
    if (options.includes("-"))
      throw new UsageError('"-" is not a path: to scan standard input, use keywarden stdin');
    // The version alone (and gitleaks' spelling, `version`) needs no command and no yargs.
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "version")) {
      const { toolInfo } = await import("../tool-info.js");
      io.stdout.write(`${toolInfo().version}\n`);
      return 0;
    }
    if (!(await runPlain(argv, context))) {
      const helpOutput = await runWithYargs(argv, context);
      if (helpOutput) io.stdout.write(`${helpOutput}\n`);
    }
    return context.exitCode;
  } catch (error) {
    if (isKeywardenError(error)) {
      // One line, whatever the message quotes: JSON.parse's excerpt of a file, a broken entry's
      // bytes. Escaped, they can neither break the line nor drive the terminal.
      io.stderr.write(`keywarden: ${escapeControls(error.message)}\n`);
      if (error instanceof UsageError) io.stderr.write("Run keywarden --help for usage.\n");
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`keywarden: internal error: ${escapeControls(message)}\n`);
    io.stderr.write(
      debug && error instanceof Error && error.stack
        ? `${error.stack}\n`
        : "Run again with --debug for details, and please report it.\n",
    );
    return 2;
  }
}

export async function runFromProcess(): Promise<number> {
  // A reader that stops early (`keywarden rules list | head`) closes the pipe: what is left to
  // print has nowhere to go, and the command's exit code still says what it found. A pipe that
  // is a socket (a parent process's stdio) reports it as ECONNRESET. Any other failure (a full
  // disk, `> /dev/full`) lost the report or the notices: one line says so, and the exit code
  // is 2, set here too since the error may come after the command has returned its code.
  let isOutputLost = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE" || error.code === "ECONNRESET" || isOutputLost) return;
      isOutputLost = true;
      process.exitCode = 2;
      if (stream === process.stdout)
        process.stderr.write(
          `keywarden: cannot write to standard output (${error.code ?? error.message}): the report is incomplete\n`,
        );
    });
  }
  const code = await runWithCwd();
  return isOutputLost ? 2 : code;
}

function runWithCwd(): Promise<number> {
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    // The folder the shell stands in was deleted: nothing relative can be found from it.
    process.stderr.write("keywarden: the current folder no longer exists: cd to one that does\n");
    return Promise.resolve(2);
  }
  return run(process.argv.slice(2), {
    cwd,
    env: process.env,
    // A getter: making process.stdin builds a stream (about 4 ms), and few commands read it.
    get stdin() {
      return process.stdin;
    },
    stdout: {
      write: (text) => void process.stdout.write(text),
      isTTY: process.stdout.isTTY === true,
    },
    stderr: {
      write: (text) => void process.stderr.write(text),
      isTTY: process.stderr.isTTY === true,
    },
  });
}
