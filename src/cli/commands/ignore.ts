import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { CommandModule } from "yargs";
import { findUp, repositoryTop } from "../../config/find-up.js";
import { RuntimeError, UsageError } from "../../errors.js";
import {
  appendIgnoreLine,
  formatIgnoreLine,
  IGNORE_FILE_NAME,
  parseIgnoreFile,
} from "../../suppress/ignore-file.js";
import { formatSuppressionEntry, parseSuppressionEntry } from "../../suppress/suppression-entry.js";
import { commandGroup } from "../command-group.js";
import type { CommandContext } from "../io.js";

/** The nearest .keywardenignore up to the repository root, else a new one at that root (or here). */
function defaultIgnoreFile(cwd: string): string {
  return findUp(cwd, [IGNORE_FILE_NAME], true) ?? join(repositoryTop(cwd) ?? cwd, IGNORE_FILE_NAME);
}

function addCommand(context: CommandContext): CommandModule {
  return {
    command: "add <entry>",
    describe:
      "Add a fingerprint ([path:]FINGERPRINT, or gitleaks' commit:path:rule:line) to .keywardenignore",
    builder: (yargs) =>
      yargs
        .positional("entry", {
          type: "string",
          describe: "Fingerprint shown in the report",
          demandOption: true,
        })
        .option("reason", {
          alias: "r",
          type: "string",
          describe: "Why this is not a leak (kept beside the entry)",
        })
        .option("file", {
          type: "string",
          describe: "Ignore file (default: the nearest .keywardenignore)",
        }),
    handler: (argv) => {
      const { io } = context;
      const parsed = parseSuppressionEntry(String(argv.entry));
      if ("error" in parsed) throw new UsageError(`ignore add: ${parsed.error}`);
      const file = argv.file ? resolve(io.cwd, argv.file as string) : defaultIgnoreFile(io.cwd);
      const shown = relative(io.cwd, file) || file;
      const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
      const canonical = formatSuppressionEntry(parsed);
      if (
        parseIgnoreFile(existing, shown).some(
          (entry) => formatSuppressionEntry(entry.entry) === canonical,
        )
      ) {
        io.stderr.write(`keywarden: ${shown} already ignores ${canonical}\n`);
        return;
      }
      const reason = argv.reason as string | undefined;
      const line = formatIgnoreLine(parsed, reason);
      // A path holding ` #` would read back as a shorter entry and a reason: every later scan
      // would then stop on the broken line.
      let readBack: string | undefined;
      try {
        const entry = parseIgnoreFile(line, shown)[0]?.entry;
        readBack = entry && formatSuppressionEntry(entry);
      } catch {
        readBack = undefined;
      }
      if (readBack !== canonical)
        throw new UsageError(
          `ignore add: "${canonical}" cannot be written in an ignore file (its path holds " #"); add the fingerprint alone`,
        );
      try {
        writeFileSync(file, appendIgnoreLine(existing, line));
      } catch (error) {
        throw new RuntimeError(
          `${shown}: cannot write the ignore file (${(error as NodeJS.ErrnoException).code ?? error})`,
        );
      }
      io.stderr.write(
        `keywarden: added ${canonical} to ${shown}${reason ? "" : " (tip: --reason says why, for the next reader)"}\n`,
      );
    },
  };
}

export function ignoreCommand(context: CommandContext): CommandModule {
  return commandGroup("ignore <action>", "Manage .keywardenignore (findings not to report)", [
    addCommand(context),
  ]);
}
