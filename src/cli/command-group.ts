import type { CommandModule } from "yargs";

/**
 * A command that only names its subcommands (`keywarden rules list`, `rules test`): yargs runs
 * the subcommand's handler, and a command line naming none is a usage error.
 */
export function commandGroup(
  command: string,
  describe: string,
  subcommands: readonly CommandModule[],
): CommandModule {
  return {
    command,
    describe,
    builder: (yargs) =>
      subcommands
        .reduce((parser, subcommand) => parser.command(subcommand), yargs)
        .demandCommand(
          1,
          `${firstWord(command)}: name one of: ${subcommands.map((subcommand) => firstWord(subcommand.command)).join(", ")}`,
        ),
    handler: () => {},
  };
}

function firstWord(command: CommandModule["command"]): string {
  const text = Array.isArray(command) ? String(command[0]) : String(command ?? "");
  return text.split(" ")[0] ?? text;
}
