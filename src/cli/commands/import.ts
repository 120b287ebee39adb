import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { CommandModule } from "yargs";
import { loadBuiltinRules } from "../../config/load-rules.js";
import { ConfigError, RuntimeError, UsageError } from "../../errors.js";
import { escapeControls } from "../../report/escape-controls.js";
import { commandGroup } from "../command-group.js";
import type { CommandContext } from "../io.js";

function readIfFile(path: string): string | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

function gitleaksCommand(context: CommandContext): CommandModule {
  return {
    command: "gitleaks [file]",
    describe: "Convert a gitleaks config (.gitleaks.toml) into .keywarden.yaml",
    builder: (yargs) =>
      yargs
        .positional("file", {
          type: "string",
          default: ".gitleaks.toml",
          describe: "gitleaks config file",
        })
        .option("output", {
          alias: "o",
          type: "string",
          default: ".keywarden.yaml",
          describe: "Where to write the keywarden config (- for standard output)",
        })
        .option("force", {
          type: "boolean",
          default: false,
          describe: "Overwrite an existing output file",
        }),
    handler: async (argv) => {
      const { io } = context;
      const file = argv.file as string;
      const absolutePath = resolve(io.cwd, file);
      const text = readIfFile(absolutePath);
      if (text === undefined) throw new ConfigError(`${file}: no such gitleaks config file`, file);
      const output = argv.output as string;
      const outputPath = output === "-" ? undefined : resolve(io.cwd, output);
      if (outputPath && existsSync(outputPath) && argv.force !== true) {
        throw new UsageError(
          `${output} exists; use --force to overwrite it or --output to write elsewhere`,
        );
      }

      // The TOML parser and the regex translator load only for this command.
      const { importGitleaksConfig } = await import("../../config/gitleaks-import.js");
      const builtin = await loadBuiltinRules();
      const result = importGitleaksConfig({
        file,
        text,
        absolutePath,
        cwd: io.cwd,
        readFile: readIfFile,
        builtinRuleIds: new Set(builtin.map((rule) => rule.id)),
      });
      if (outputPath) {
        try {
          writeFileSync(outputPath, result.yaml);
        } catch (error) {
          throw new RuntimeError(
            `${output}: cannot write (${(error as NodeJS.ErrnoException).code ?? error})`,
          );
        }
      } else {
        io.stdout.write(result.yaml);
      }
      // Notes quote the gitleaks config, a cloned repository's text: one line each, and no
      // control character reaches the terminal (the YAML's comments keep them as they are).
      for (const note of result.notes)
        io.stderr.write(`keywarden: import: ${escapeControls(note)}\n`);
      const where = outputPath ? relative(io.cwd, outputPath) || outputPath : "standard output";
      io.stderr.write(
        `keywarden: ${result.rulesConverted} rule${result.rulesConverted === 1 ? "" : "s"} converted to ${where}` +
          `${result.rulesSkipped > 0 ? `, ${result.rulesSkipped} not converted` : ""}` +
          `${result.notes.length > 0 ? `; ${result.notes.length} note${result.notes.length === 1 ? "" : "s"} above (also at the top of the file)` : ""}\n`,
      );
    },
  };
}

export function importCommand(context: CommandContext): CommandModule {
  return commandGroup("import <tool>", "Convert another scanner's config", [
    gitleaksCommand(context),
  ]);
}
