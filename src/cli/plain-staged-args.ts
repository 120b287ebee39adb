import { parseArgs } from "node:util";
import { optionDefaults, parseArgsOptions } from "./option-spec.js";
import { SCAN_OPTIONS } from "./scan-options.js";
import { VERIFY_OPTIONS } from "./verify-options.js";

const PLAIN_OPTIONS = parseArgsOptions(SCAN_OPTIONS);
const DEFAULTS = optionDefaults([...VERIFY_OPTIONS, ...SCAN_OPTIONS]);
const CHOICES = new Map(
  SCAN_OPTIONS.flatMap((spec) => (spec.choices ? [[spec.name, spec.choices] as const] : [])),
);

function parseStrictly(args: string[]) {
  try {
    return parseArgs({
      args,
      options: PLAIN_OPTIONS,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      tokens: true,
    });
  } catch {
    return undefined;
  }
}

/**
 * `keywarden staged` with plain scan flags, the hook's command line, read with node's parseArgs
 * into the record yargs would give the staged handler: hyphenated names and yargs' defaults, the
 * keys readScanOptions reads. Undefined for any command line yargs might read otherwise or must
 * answer: help, --version, unknown or repeated flags, flag groups (-qf), glued short values
 * (-fjson, -f=json), values starting with a dash, a value outside its choices, the verify and
 * redact flags, `--`. Those go to yargs, for its usual answer and exit code.
 */
export function readPlainStagedArgs(argv: readonly string[]): Record<string, unknown> | undefined {
  if (argv[0] !== "staged") return undefined;
  const args = argv.slice(1);
  const parsed = parseStrictly(args);
  if (!parsed) return undefined;
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") return undefined;
    // yargs gathers a repeated single-valued flag into an array.
    if (seen.has(token.name) && !PLAIN_OPTIONS[token.name]?.multiple) return undefined;
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
  for (const [name, choices] of CHOICES) {
    const value = values[name];
    if (value !== undefined && !choices.includes(value as string)) return undefined;
  }
  return { ...DEFAULTS, ...values };
}
