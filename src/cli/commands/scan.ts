import type { CommandModule } from "yargs";
import { executeScan } from "../execute-scan.js";
import { filesScan } from "../files-scan.js";
import type { CommandContext } from "../io.js";
import { pathsGiven } from "../paths-given.js";
import { readScanOptions, withScanOptions } from "../scan-options.js";

export function scanCommand(context: CommandContext): CommandModule {
  return {
    command: "scan [paths..]",
    describe: "Scan files and directories (default: the current directory)",
    builder: (yargs) =>
      withScanOptions(yargs)
        .positional("paths", {
          type: "string",
          array: true,
          describe: "Files or directories to scan",
        })
        .option("gitignore", {
          type: "boolean",
          default: true,
          describe: "Honour .gitignore files (--no-gitignore scans ignored files too)",
        }),
    handler: async (argv) => {
      await executeScan(context, {
        ...filesScan(context.io, pathsGiven(argv, 1), argv.gitignore !== false),
        options: readScanOptions(argv),
      });
    },
  };
}
