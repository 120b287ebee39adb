import type { CommandModule } from "yargs";
import { stdinFragments } from "../../sources/stdin.js";
import { executeScan } from "../execute-scan.js";
import type { CommandContext } from "../io.js";
import { readScanOptions, withScanOptions } from "../scan-options.js";

export function stdinCommand(context: CommandContext): CommandModule {
  return {
    command: "stdin",
    describe: "Scan standard input",
    builder: (yargs) =>
      withScanOptions(yargs).option("path", {
        type: "string",
        default: "<stdin>",
        describe: "File name to report (and to match path-specific rules against)",
      }),
    handler: async (argv) => {
      await executeScan(context, {
        source: "stdin",
        scanRoot: ".",
        options: readScanOptions(argv),
        fragments: (_config, onSkip) =>
          stdinFragments(context.io.stdin, { path: argv.path as string, onSkip }),
      });
    },
  };
}
