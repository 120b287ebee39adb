import type { ParseArgsConfig } from "node:util";
import type { Argv } from "yargs";

/**
 * One command-line option, declared once. The yargs builders and the pre-commit fast path
 * (node:util parseArgs, see plain-args.ts) are both derived from these records, so an
 * option added here reaches both and cannot be forgotten in one.
 */
export interface OptionSpec {
  readonly name: string;
  /** A one-letter alias (`-q`); the fast path knows no longer ones. */
  readonly alias?: string;
  /**
   * None: yargs keeps the value as given (`--redact`, `--redact=50`, `--no-redact`). The fast
   * path reads only string and boolean options; the others send the command line to yargs.
   */
  readonly type?: "string" | "boolean" | "number";
  /** Repeatable: `--rules a --rules b`. */
  readonly array?: boolean;
  readonly choices?: readonly string[];
  readonly default?: string | number | boolean;
  readonly defaultDescription?: string;
  readonly hidden?: boolean;
  readonly describe: string;
}

/** Adds the options to a yargs builder, in order (the order of --help). */
export function withOptions<T>(yargs: Argv<T>, specs: readonly OptionSpec[]): Argv<T> {
  let builder = yargs;
  // A string option wants its value (`--config` alone must not quietly mean no config), and a
  // repeatable one takes one value per use: `--rules extra.yaml /repo` must not take the path
  // scanned for a second rule file.
  for (const { name, ...settings } of specs)
    builder = builder.option(name, {
      ...settings,
      ...(settings.type === "string" ? { requiresArg: true } : {}),
      ...(settings.array ? { nargs: 1 } : {}),
    });
  return builder;
}

/** What yargs fills in for options the command line leaves out, keyed as yargs keys them. */
export function optionDefaults(specs: readonly OptionSpec[]): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const spec of specs) if (spec.default !== undefined) defaults[spec.name] = spec.default;
  return defaults;
}

/**
 * The parseArgs declaration of the options parseArgs reads as yargs does: plain strings and
 * booleans. Defaults are left out: they come from `optionDefaults`, as yargs applies them.
 */
export function parseArgsOptions(
  specs: readonly OptionSpec[],
): NonNullable<ParseArgsConfig["options"]> {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const spec of specs) {
    if (spec.type !== "string" && spec.type !== "boolean") continue;
    options[spec.name] = {
      type: spec.type,
      ...(spec.alias?.length === 1 ? { short: spec.alias } : {}),
      ...(spec.array ? { multiple: true } : {}),
    };
  }
  return options;
}
