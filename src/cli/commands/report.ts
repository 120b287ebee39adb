import type { CommandModule } from "yargs";
import { DEFAULT_REDACT_PERCENT } from "../../report/redact.js";
import { ALL_FORMAT_NAMES, REPORTERS } from "../../report/registry.js";
import { readReportFile } from "../../sources/report-file.js";
import { toolInfo } from "../../tool-info.js";
import { shouldColor, writeReport } from "../execute-scan.js";
import type { CommandContext } from "../io.js";
import { readRedact } from "../scan-options.js";

export function reportCommand(context: CommandContext): CommandModule {
  return {
    command: "report <file>",
    describe: "Render a saved JSON report (--format json) as HTML, SARIF, Markdown...",
    builder: (yargs) =>
      yargs
        .positional("file", {
          type: "string",
          demandOption: true,
          describe: "A report made with --format json",
        })
        .option("format", {
          alias: "f",
          type: "string",
          choices: ALL_FORMAT_NAMES,
          default: "html",
          describe: "Output format",
        })
        .option("output", {
          alias: "o",
          type: "string",
          describe: "Write to this file instead of standard output",
        })
        .option("redact", {
          describe:
            "Hide this percentage of secrets a report holds in full; --no-redact keeps them",
          default: DEFAULT_REDACT_PERCENT,
          defaultDescription: String(DEFAULT_REDACT_PERCENT),
        })
        .option("color", { type: "boolean", describe: "Colour the text format" }),
    handler: async (argv) => {
      const { io } = context;
      const file = argv.file as string;
      const saved = readReportFile(io.cwd, file, readRedact(argv.redact));
      const current = toolInfo();
      const reporter = await REPORTERS[argv.format as string]!();
      const output = argv.output as string | undefined;
      const report = reporter({
        findings: saved.findings,
        summary: saved.summary,
        // The version that found the secrets, not the one rendering the page.
        tool: {
          ...current,
          ...(saved.tool ? { name: saved.tool.name, version: saved.tool.version } : {}),
        },
        color: shouldColor(io, argv.color as boolean | undefined, output),
      });
      writeReport(context, output, report);
      context.exitCode = 0;
    },
  };
}
