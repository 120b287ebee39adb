import { relative, resolve } from "node:path";
import type { CommandModule } from "yargs";
import { parseSize } from "../../config/load-config.js";
import { BASELINE_FILE_NAME, createBaseline } from "../../suppress/baseline.js";
import { commandGroup } from "../command-group.js";
import {
  assertWritable,
  executeScan,
  listSkipped,
  sayIncomplete,
  writeReport,
} from "../execute-scan.js";
import { filesScan } from "../files-scan.js";
import type { CommandContext } from "../io.js";
import { pathsGiven } from "../paths-given.js";
import type { ScanOptions } from "../scan-options.js";
import { VERIFY_OFF } from "../verify-options.js";

function createCommand(context: CommandContext): CommandModule {
  return {
    command: "create [paths..]",
    describe: "Record the current findings, so later scans with --baseline report only new ones",
    builder: (yargs) =>
      yargs
        .positional("paths", {
          type: "string",
          array: true,
          describe: "Files or directories to scan (default: .)",
        })
        .option("output", {
          alias: "o",
          type: "string",
          default: BASELINE_FILE_NAME,
          describe: "Baseline file to write",
        })
        .option("timestamp", {
          type: "boolean",
          default: false,
          describe:
            "Record when the baseline was made (off by default: the file stays byte-identical)",
        })
        .option("config", { alias: "c", type: "string", describe: "Config file" })
        .option("rules", {
          type: "string",
          array: true,
          nargs: 1,
          describe: "Extra rule file or folder (repeatable)",
        })
        .option("ignore-file", {
          type: "string",
          describe: "Ignore file (default: the nearest .keywardenignore)",
        })
        .option("gitignore", {
          type: "boolean",
          default: true,
          describe: "Honour .gitignore files",
        })
        .option("max-file-size", {
          type: "string",
          describe: "Skip files larger than this (default 10MB; 0: no limit)",
        })
        .option("quiet", {
          alias: "q",
          type: "boolean",
          default: false,
          describe: "No summary line",
        }),
    handler: async (argv) => {
      const { io } = context;
      const output = resolve(io.cwd, argv.output as string);
      assertWritable(context, argv.output as string, "baseline");
      const maxFileSize = argv["max-file-size"] as string | undefined;
      const options: ScanOptions = {
        rules: (argv.rules as string[] | undefined) ?? [],
        format: "json",
        redactPercent: 100,
        quiet: argv.quiet === true,
        verbose: false,
        reportUnusedIgnores: false,
        verify: VERIFY_OFF,
        ...(argv.config !== undefined ? { config: argv.config as string } : {}),
        ...(argv["ignore-file"] !== undefined ? { ignoreFile: argv["ignore-file"] as string } : {}),
        ...(maxFileSize !== undefined
          ? { maxFileSize: parseSize(maxFileSize, "--max-file-size") }
          : {}),
      };
      const outcome = await executeScan(context, {
        ...filesScan(io, pathsGiven(argv, 2), argv.gitignore !== false),
        options,
        report: false,
      });
      // The baseline never lists itself: a second run must give the same bytes.
      const ownPath = relative(io.cwd, output).split("\\").join("/");
      const findings = outcome.findings.filter((finding) => finding.path !== ownPath);
      const text = createBaseline(
        findings,
        argv.timestamp ? { createdAt: new Date().toISOString() } : {},
      );
      writeReport(context, argv.output as string, text, "baseline");
      if (!options.quiet) {
        const count = findings.length;
        const shown = relative(io.cwd, output) || output;
        io.stderr.write(
          `keywarden: baseline ${shown}: ${count} finding${count === 1 ? "" : "s"} recorded; scan with --baseline ${shown} to see only new ones\n`,
        );
      }
      // A baseline that missed content is written all the same (the scan's report is too), but
      // is no clean result: what was not read is named, and the exit code is 2.
      const unread = listSkipped(io, outcome.summary.skipped, options);
      context.exitCode = sayIncomplete(io, unread) ? 2 : 0;
    },
  };
}

export function baselineCommand(context: CommandContext): CommandModule {
  return commandGroup("baseline <action>", "Accept the current findings, to report only new ones", [
    createCommand(context),
  ]);
}
