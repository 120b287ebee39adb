import { parseArgs } from "node:util";
import type { CommandContext } from "./io.js";
import { type OptionSpec, optionDefaults, parseArgsOptions } from "./option-spec.js";
import { SCAN_OPTIONS } from "./scan-options.js";
import { VERIFY_OPTIONS } from "./verify-options.js";

/**
 * A command that may run without yargs when its command line holds only plain flags: the
 * pre-commit hook (`staged`) and CI's history sweeps (`history`), where loading yargs and
 * building its parser costs 40 to 50 ms of every run.
 */
export interface PlainCommand {
  /** The command's own options, besides the verify and scan ones every scanning command has. */
  readonly options: readonly OptionSpec[];
  /** The name its positional arguments go under, as an array; none taken when absent. */
  readonly positionals?: string;
  /** Options yargs refuses together: a command line with such a pair goes to yargs. */
  readonly conflicts?: readonly (readonly [string, string])[];
  /** The command's handler, given the record yargs would have given it. */
  readonly run: (context: CommandContext, argv: Record<string, unknown>) => Promise<void>;
}

function parseStrictly(
  args: string[],
  options: ReturnType<typeof parseArgsOptions>,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({
      args,
      options,
      strict: true,
      allowPositionals,
      allowNegative: true,
      tokens: true,
    });
  } catch {
    return undefined;
  }
}

/**
 * The flags after the command name, read with node's parseArgs into the record yargs would give
 * the handler: hyphenated names and yargs' defaults. Undefined for any command line yargs might
 * read otherwise or must answer: help, --version, unknown or repeated flags, flag groups (-qf),
 * glued short values (-fjson, -f=json), values starting with a dash, a value outside its choices,
 * conflicting flags, the verify and redact flags, number flags, and positionals or `--` for a
 * command that takes none. Those go to yargs, for its usual answer and exit code.
 */
export function readPlainArgs(
  args: readonly string[],
  command: Pick<PlainCommand, "options" | "conflicts" | "positionals">,
): Record<string, unknown> | undefined {
  const specs = [...SCAN_OPTIONS, ...command.options];
  const plainOptions = parseArgsOptions(specs);
  const parsed = parseStrictly([...args], plainOptions, command.positionals !== undefined);
  if (!parsed) return undefined;
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    // Paths, and a `--` before them, for a command that takes paths; yargs answers the rest.
    if (token.kind !== "option") {
      // yargs takes `--quiet true` for a value of --quiet.
      const isBooleanWord = token.kind === "positional" && /^(true|false)$/.test(token.value);
      if (command.positionals && !isBooleanWord) continue;
      return undefined;
    }
    // yargs gathers a repeated single-valued flag into an array.
    if (seen.has(token.name) && !plainOptions[token.name]?.multiple) return undefined;
    seen.add(token.name);
    // yargs reads a lone "-" as a flag, where parseArgs takes it for a value.
    if (token.value?.startsWith("-")) return undefined;
    const arg = args[token.index];
    const isWhole = arg === token.rawName;
    const isLongWithValue =
      token.inlineValue === true &&
      token.rawName.startsWith("--") &&
      arg === `${token.rawName}=${token.value}`;
    if (!isWhole && !isLongWithValue) return undefined;
  }
  const values: Record<string, unknown> = parsed.values;
  for (const spec of specs) {
    const value = values[spec.name];
    if (spec.choices && value !== undefined && !spec.choices.includes(value as string)) {
      return undefined;
    }
  }
  for (const [one, other] of command.conflicts ?? []) {
    if (seen.has(one) && seen.has(other)) return undefined;
  }
  const positionals = command.positionals ? { [command.positionals]: parsed.positionals } : {};
  return { ...optionDefaults([...VERIFY_OPTIONS, ...specs]), ...values, ...positionals };
}
