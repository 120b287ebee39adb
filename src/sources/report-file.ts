import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { readRegularFile } from "../read-regular-file.js";
import { readJsonReport, type SavedReport } from "../report/read-json-report.js";

/**
 * Reads a report file written with `--format json`: for `keywarden report`, and for `verify` and
 * `revoke`, which find the secrets again in the scanned files (they pass 0: nothing to redact).
 */
export function readReportFile(cwd: string, file: string, redactPercent: number): SavedReport {
  let text: string;
  try {
    text = readRegularFile(resolve(cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${file}: cannot read the report (${code === "ENOENT" ? "no such file" : (code ?? String(error))})`,
      file,
    );
  }
  return readJsonReport(text, file, redactPercent);
}
