import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { CommandModule } from "yargs";
import { findUp, repositoryTop } from "../../config/find-up.js";
import { RuntimeError, UsageError } from "../../errors.js";
import { pathInside } from "../../posix-path.js";
import {
  appendIgnoreLine,
  formatIgnoreLine,
  IGNORE_FILE_NAME,
  parseIgnoreFile,
} from "../../suppress/ignore-file.js";
import { readSuppressionFile } from "../../suppress/load-suppressions.js";
import {
  formatSuppressionEntry,
  parseSuppressionEntry,
  type SuppressionEntry,
} from "../../suppress/suppression-entry.js";
import { commandGroup } from "../command-group.js";
import type { CommandContext } from "../io.js";

/** The nearest .keywardenignore up to the repository root, else a new one at that root (or here). */
function defaultIgnoreFile(cwd: string): string {
  return findUp(cwd, [IGNORE_FILE_NAME], true) ?? join(repositoryTop(cwd) ?? cwd, IGNORE_FILE_NAME);
}

/**
 * The entry with its path written from the ignore file's folder, where scans read it from.
 * The path is as a report names it: a files scan from the folder it ran in, `staged` and
 * `history` (and a gitleaks-style entry's commit) from the repository's top. Run from a
 * subfolder, that is the file which exists from one of the two; a path naming a file from both,
 * or from neither, is refused rather than guessed.
 */
function fromIgnoreFolder(entry: SuppressionEntry, cwd: string, file: string): SuppressionEntry {
  if (entry.path === undefined) return entry;
  const path = entry.path;
  const top = repositoryTop(cwd) ?? cwd;
  const bases =
    entry.kind === "location" && entry.commit !== undefined
      ? [top]
      : resolve(cwd) === top
        ? [top]
        : [cwd, top].filter((base) => existsSync(resolve(base, path)));
  if (bases.length > 1)
    throw new UsageError(
      `ignore add: ${path} names a file both from here and from the repository's top; run ignore add at the top, with the path from there`,
    );
  if (bases.length === 0)
    throw new UsageError(
      `ignore add: ${path} names no file from here nor from the repository's top; run ignore add where the scan ran (at the top for staged and history), with the path as its report names it`,
    );
  const folder = dirname(file);
  const rebased = pathInside(folder, resolve(bases[0]!, path));
  if (rebased === undefined || rebased === "")
    throw new UsageError(
      `ignore add: ${path} lies outside ${folder}, whose ignore file reads entries from that folder; add the fingerprint alone`,
    );
  return { ...entry, path: rebased };
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
      const typed = parseSuppressionEntry(String(argv.entry));
      if ("error" in typed) throw new UsageError(`ignore add: ${typed.error}`);
      const file = argv.file ? resolve(io.cwd, argv.file as string) : defaultIgnoreFile(io.cwd);
      const parsed = fromIgnoreFolder(typed, io.cwd, file);
      const shown = relative(io.cwd, file) || file;
      const existing = readSuppressionFile(file, shown, false, "ignore file") ?? "";
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
