import { basename, resolve } from "node:path";
import type { CommandModule } from "yargs";
import { compileRules } from "../../config/compile-rules.js";
import { CONFIG_FILE_NAMES, loadConfig } from "../../config/load-config.js";
import { loadBuiltinRules } from "../../config/load-rules.js";
import { escapeControls } from "../../report/escape-controls.js";
import { commandGroup } from "../command-group.js";
import type { CommandContext } from "../io.js";
import { ruleCountText } from "../rule-count.js";

/** A keywarden config (.keywarden.yaml) rather than a rule file: its rules are read from it. */
function isConfigFileName(file: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(basename(file));
}

function listCommand(context: CommandContext): CommandModule {
  return {
    command: "list",
    describe: "List the rules in force (built-in plus config)",
    builder: (yargs) =>
      yargs
        .option("config", { alias: "c", type: "string", describe: "Config file" })
        .option("format", {
          alias: "f",
          choices: ["text", "json"],
          default: "text",
          describe: "Output format",
        }),
    handler: async (argv) => {
      const config = await loadConfig({
        cwd: context.io.cwd,
        scanRoot: ".",
        ...(argv.config ? { configPath: argv.config as string } : {}),
      });
      const rules = config.rules.filter((rule) => rule.report);
      if (argv.format === "json") {
        const rows = rules.map((rule) => ({
          id: rule.id,
          title: rule.title,
          provider: rule.provider,
          severity: rule.severity,
          tags: rule.tags,
          keywords: rule.keywords,
          verify: rule.raw.verify ? rule.raw.verify.service : null,
          revoke: rule.raw.revoke?.mechanism ?? null,
          file: rule.source.file,
          builtin: rule.source.builtin,
        }));
        context.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...rules.map((rule) => rule.id.length));
      for (const rule of rules) {
        const extras = [
          rule.raw.verify ? "verify" : "",
          rule.raw.revoke ? `revoke:${rule.raw.revoke.mechanism}` : "",
        ]
          .filter(Boolean)
          .join(" ");
        // A config's title is the scanned repository's text: its control characters are shown,
        // not sent to the terminal, as in the text report.
        context.io.stdout.write(
          `${rule.id.padEnd(width)}  ${rule.severity.padEnd(8)}  ${escapeControls(rule.title)}${extras ? `  [${extras}]` : ""}\n`,
        );
      }
      context.io.stdout.write(`${ruleCountText(config.rules, "listed")}\n`);
    },
  };
}

function testCommand(context: CommandContext): CommandModule {
  return {
    command: "test [files..]",
    describe:
      "Run every rule's match and no-match examples (default: the built-in rules and the config's own)",
    builder: (yargs) =>
      yargs.positional("files", {
        type: "string",
        array: true,
        describe: "Rule files, or .keywarden.yaml configs, to test",
      }),
    handler: async (argv) => {
      const { checkRules } = await import("../../config/check-rules.js");
      const { readBuiltinRuleSources, readRuleFile } = await import(
        "../../config/read-rule-files.js"
      );
      const { cwd } = context.io;
      const files = (argv.files as string[] | undefined) ?? [];
      const configFiles = files.filter((file) => isConfigFileName(file));
      const ruleFiles = files.filter((file) => !isConfigFileName(file));
      const sources =
        files.length > 0
          ? ruleFiles.flatMap((file) => readRuleFile(resolve(cwd, file), false, cwd))
          : readBuiltinRuleSources();
      // Rules in the given files may name built-in rules as their `requires` companion.
      // The working folder's config plays no part when files are named: testing rule files must
      // not depend on it. Named, or found when none is, a config's own rules are tested too.
      const builtin = await loadBuiltinRules();
      const configs = await Promise.all(
        (files.length > 0 ? configFiles : [undefined]).map((configPath) =>
          loadConfig({ cwd, scanRoot: ".", ...(configPath ? { configPath } : {}) }),
        ),
      );
      const configRules = configs.flatMap((config) =>
        config.rules.filter((rule) => !rule.source.builtin),
      );
      const { ruleScope } = await import("../../config/pattern-scope.js");
      const subjects = [
        ...compileRules(sources, new Set(builtin.map((rule) => rule.id)), {
          scopeOf: ruleScope,
        }),
        ...configRules,
      ];
      const result = checkRules(subjects, { companions: [...builtin, ...configRules] });
      for (const problem of result.problems) {
        context.io.stdout.write(`${problem.where}: rule ${problem.ruleId}: ${problem.message}\n`);
      }
      const summary = `${ruleCountText(subjects, "tested")}, ${result.examples} example checks, ${result.problems.length} problems`;
      context.io.stdout.write(`${summary}\n`);
      context.exitCode = result.problems.length > 0 ? 1 : 0;
    },
  };
}

export function rulesCommand(context: CommandContext): CommandModule {
  return commandGroup("rules <action>", "List the rules, or test their examples", [
    listCommand(context),
    testCommand(context),
  ]);
}
