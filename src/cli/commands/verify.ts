import type { CommandModule } from "yargs";
import type { CommandContext } from "../io.js";
import { readScanOptions, withReportVerifyOptions } from "../scan-options.js";

export function verifyCommand(context: CommandContext): CommandModule {
  return {
    command: "verify <report>",
    describe:
      "Check whether the keys of an earlier JSON report are live (each secret is read again from its recorded file:line or commit:path:line)",
    builder: (yargs) =>
      withReportVerifyOptions(yargs).positional("report", {
        type: "string",
        describe: "A report written with --format json",
      }),
    handler: async (argv) => {
      const options = readScanOptions({ ...argv, verify: true });
      const { executeVerify } = await import("../execute-verify.js");
      await executeVerify(context, argv.report as string, options);
    },
  };
}
