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
        .demandCommand(1),
    handler: () => {},
  };
}
