import type { CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import { toolInfo } from "../../tool-info.js";
import {
  assertWritable,
  executeScan,
  listSkipped,
  sayIncomplete,
  shouldColor,
  writeReport,
} from "../execute-scan.js";
import { filesScan } from "../files-scan.js";
import type { CommandContext } from "../io.js";
import { readScanOptions, withScanOptions } from "../scan-options.js";
import { parseDuration } from "../verify-options.js";

export function revokeCommand(context: CommandContext): CommandModule {
  return {
    command: "revoke [report]",
    describe:
      "Revoke the live keys of an earlier JSON report (or of a scan of the current directory): a dry run unless --yes, a prompt per key on a terminal",
    builder: (yargs) =>
      withScanOptions(yargs)
        .positional("report", {
          type: "string",
          describe: "A report written with --format json (default: scan the current directory)",
        })
        .option("yes", {
          alias: "y",
          type: "boolean",
          default: false,
          describe: "Revoke without asking (default: dry run; a prompt per key on a terminal)",
        })
        .option("dry-run", {
          type: "boolean",
          default: false,
          describe: "Only show the plan, even on a terminal",
        })
        .option("force", {
          type: "boolean",
          default: false,
          describe:
            "Also revoke keys that did not verify live, and keys the audit log already records as revoked",
        })
        .option("audit-log", {
          type: "string",
          describe: "Append the audit trail here (default .keywarden/revocations.jsonl)",
        })
        .option("confirm-wait", {
          type: "string",
          default: "10s",
          describe:
            "How long to keep re-checking a key the provider accepted to revoke before calling it failed",
        }),
    handler: async (argv) => {
      const { io } = context;
      if (argv.yes === true && argv["dry-run"] === true)
        throw new UsageError("--yes and --dry-run contradict each other: pick one");
      if (argv["only-live"] === true)
        throw new UsageError(
          "--only-live does not apply to revoke (only live keys are revoked anyway)",
        );
      const options = readScanOptions({ ...argv, verify: true });
      // Before any key is revoked: the report is the record of what was done.
      assertWritable(context, options.output);
      const interactive = (io.stdin as { isTTY?: boolean }).isTTY === true && io.stderr.isTTY;
      const mode =
        argv.yes === true
          ? "execute"
          : argv["dry-run"] !== true && interactive
            ? "interactive"
            : "dry-run";
      // Without a report, the keys come from a scan of the current directory, suppressions applied.
      const source =
        typeof argv.report === "string"
          ? { report: argv.report }
          : {
              scanned: await executeScan(context, {
                ...filesScan(io, undefined, true),
                options,
                report: false,
              }),
            };
      const { executeRevoke } = await import("../../revoke/execute-revoke.js");
      const result = await executeRevoke({
        cwd: io.cwd,
        env: io.env,
        stdin: io.stdin,
        stderr: io.stderr,
        source,
        ...(options.config !== undefined ? { configPath: options.config } : {}),
        ruleFiles: options.rules,
        format: options.format,
        redactPercent: options.redactPercent,
        color: shouldColor(io, options.color, options.output),
        failOn: options.verify.failOn,
        settings: {
          mode,
          force: argv.force === true,
          trustConfig: options.verify.trustConfig,
          endpoints: options.verify.endpoints,
          timeoutMs: options.verify.timeoutMs,
          concurrency: options.verify.concurrency,
          ratePerHost: options.verify.ratePerHost,
          ...(typeof argv["audit-log"] === "string" ? { auditLog: argv["audit-log"] } : {}),
          confirmWaitMs: parseDuration(String(argv["confirm-wait"]), "--confirm-wait", {
            allowZero: true,
          }),
        },
        tool: toolInfo(),
      });
      writeReport(context, options.output, result.report);
      if (!options.quiet) for (const note of result.notes) io.stderr.write(`${note}\n`);
      context.exitCode = result.exitCode;
      // A folder the scan could not read may hold live keys: named, and no clean result.
      if (source.scanned) {
        const unread = listSkipped(io, source.scanned.summary.skipped, options);
        if (sayIncomplete(io, unread)) context.exitCode = 2;
      }
    },
  };
}
