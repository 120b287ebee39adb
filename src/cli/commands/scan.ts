import type { CommandModule } from "yargs";
import { fileFragments } from "../../sources/files.js";
import { executeScan } from "../execute-scan.js";
import type { CommandContext } from "../io.js";
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
      const options = readScanOptions(argv);
      const paths = (argv.paths as string[] | undefined)?.length ? (argv.paths as string[]) : ["."];
      await executeScan(context, {
        source: "files",
        scanRoot: paths[0]!,
        options,
        fragments: (config, onSkip) =>
          fileFragments({
            cwd: context.io.cwd,
            paths,
            exclude: config.exclude,
            maxFileSize: config.maxFileSize,
            gitignore: argv.gitignore !== false,
            onSkip,
          }),
      });
    },
  };
}
