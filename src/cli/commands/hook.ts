import type { CommandModule } from "yargs";
import { UsageError } from "../../errors.js";
import type { HookMethod } from "../../hook/install-hook.js";
import { toolInfo } from "../../tool-info.js";
import type { CommandContext } from "../io.js";

const METHODS: readonly HookMethod[] = ["husky", "git", "pre-commit"];

function chosenMethod(argv: Record<string, unknown>): HookMethod | undefined {
  const asked = METHODS.filter((name) => argv[name] === true);
  if (asked.length > 1) throw new UsageError(`choose one of --husky, --git, --pre-commit`);
  return asked[0];
}

export function hookCommand(context: CommandContext): CommandModule {
  return {
    command: "hook <action>",
    describe: "Install or remove the pre-commit hook that runs keywarden staged",
    builder: (yargs) =>
      yargs
        .positional("action", { choices: ["install", "uninstall"] as const, demandOption: true })
        .option("husky", {
          type: "boolean",
          describe: "Use .husky/pre-commit (default when the repository uses husky)",
        })
        .option("git", {
          type: "boolean",
          describe: "Use the git hooks folder (honours core.hooksPath)",
        })
        .option("pre-commit", {
          type: "boolean",
          describe: "Add keywarden to .pre-commit-config.yaml (the pre-commit framework)",
        }),
    handler: async (argv) => {
      const method = chosenMethod(argv);
      const { io } = context;
      // Loaded on demand: the pre-commit path never pays for the installer and its YAML.
      const { installHook, uninstallHook } = await import("../../hook/install-hook.js");
      const gitContext = { cwd: io.cwd, env: io.env };
      const info = toolInfo();
      const lines =
        argv.action === "install"
          ? await installHook(method, gitContext, {
              repository: info.informationUri,
              version: info.version,
            })
          : await uninstallHook(method, gitContext);
      io.stdout.write(`${lines.join("\n")}\n`);
    },
  };
}
