import yargs, { type Argv, type CommandModule } from "yargs";
import { isKeywardenError, UsageError } from "../errors.js";
import { baselineCommand } from "./commands/baseline.js";
import { historyCommand } from "./commands/history.js";
import { hookCommand } from "./commands/hook.js";
import { ignoreCommand } from "./commands/ignore.js";
import { importCommand } from "./commands/import.js";
import { reportCommand } from "./commands/report.js";
import { revokeCommand } from "./commands/revoke.js";
import { rulesCommand } from "./commands/rules.js";
import { scanCommand } from "./commands/scan.js";
import { stagedCommand } from "./commands/staged.js";
import { stdinCommand } from "./commands/stdin.js";
import { verifyCommand } from "./commands/verify.js";
import type { CliIo, CommandContext } from "./io.js";
import { toolInfo } from "./tool-info.js";

type CommandFactory = (context: CommandContext) => CommandModule;

/** Every command, one module each. Handlers are wiring: the work lives in the stage folders. */
const COMMANDS: readonly CommandFactory[] = [
  scanCommand,
  stdinCommand,
  rulesCommand,
  stagedCommand,
  historyCommand,
  hookCommand,
  verifyCommand,
  revokeCommand,
  baselineCommand,
  ignoreCommand,
  importCommand,
  reportCommand,
];

function buildParser(argv: readonly string[], context: CommandContext): Argv {
  let parser = yargs([...argv])
    .scriptName("keywarden")
    .usage(
      "$0 <command> [options]\n\nFinds leaked keys in files and git history, checks whether they are live, revokes them.",
    )
    .epilogue("Exit codes: 0 nothing found, 1 findings, 2 usage, config or runtime error.")
    .version(toolInfo().version)
    .help()
    .alias("h", "help")
    .strict()
    .demandCommand(1, "Name a command (keywarden --help lists them).")
    .recommendCommands()
    .wrap(Math.min(110, context.io.stdout.isTTY ? 110 : 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message ?? "invalid command line");
    });
  for (const factory of COMMANDS) parser = parser.command(factory(context));
  return parser;
}

/**
 * Runs one command line and returns the exit code. The only catch in the program: known errors
 * become one line on stderr and exit 2; anything else is a bug, shown with its stack.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const context: CommandContext = { io, exitCode: 0 };
  const debug = argv.includes("--debug");
  try {
    let helpOutput = "";
    await buildParser(argv, context).parseAsync([...argv], {}, (error, _parsed, output) => {
      if (error) throw error;
      helpOutput = output;
    });
    if (helpOutput) io.stdout.write(`${helpOutput}\n`);
    return context.exitCode;
  } catch (error) {
    if (isKeywardenError(error)) {
      io.stderr.write(`keywarden: ${error.message}\n`);
      if (error instanceof UsageError) io.stderr.write("Run keywarden --help for usage.\n");
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`keywarden: internal error: ${message}\n`);
    io.stderr.write(
      debug && error instanceof Error && error.stack
        ? `${error.stack}\n`
        : "Run again with --debug for details, and please report it.\n",
    );
    return 2;
  }
}

export function runFromProcess(): Promise<number> {
  return run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdin: process.stdin,
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
