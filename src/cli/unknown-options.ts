import { closestName } from "../config/closest-name.js";

/**
 * yargs names an unknown option by the keys it made of it: `--max-cont` is "max-cont, maxCont"
 * (it adds the camel-case spelling), `--no-redcat` is "redcat" (it reads `no-` as a negation).
 * This writes the message again with the options as they were typed, once each, and the known
 * option each most likely meant.
 */

const UNKNOWN = /^Unknown arguments?: (.*)$/;

/** The camel-case key yargs makes of a dashed name. */
function camelCase(name: string): string {
  return name.replace(/-+([a-zA-Z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

interface TypedOption {
  /** As typed, without a value: `--max-cont`, `-x`. */
  readonly shown: string;
  /** The name after its dashes (`max-cont`, `x`). */
  readonly name: string;
  /** The keys yargs may have made of it. */
  readonly keys: readonly string[];
}

/** The options on a command line, up to a `--` that ends them. */
function typedOptions(argv: readonly string[]): TypedOption[] {
  const options: TypedOption[] = [];
  for (const arg of argv) {
    if (arg === "--") break;
    if (arg.startsWith("--")) {
      const name = arg.slice(2).split("=", 1)[0]!;
      const keys = [name, camelCase(name)];
      if (name.startsWith("no-")) keys.push(name.slice(3), camelCase(name.slice(3)));
      options.push({ shown: `--${name}`, name, keys });
    } else if (/^-[^-\d]/.test(arg)) {
      // Short options run together (`-qx`), up to a value glued on (`-ofile`).
      for (const letter of arg.slice(1).split("=", 1)[0]!)
        options.push({ shown: `-${letter}`, name: letter, keys: [letter] });
    }
  }
  return options;
}

/** The known option a long one most likely meant, as it would be typed. */
function suggestion(name: string, known: readonly string[]): string | undefined {
  const long = known.filter((option) => option.length > 1);
  if (name.startsWith("no-")) {
    const negated = closestName(name.slice(3), long);
    if (negated !== undefined) return `--no-${negated}`;
  }
  const match = closestName(name, long);
  return match === undefined ? undefined : `--${match}`;
}

/**
 * Options of the scanners teams move from, with what keywarden does instead: a near spelling
 * would not find these (`--report-path` is nothing like `--output`). Each is said only where the
 * command has the keywarden option it names (`option`).
 */
const PEER_OPTIONS: Readonly<Record<string, { readonly option: string; readonly hint: string }>> = {
  "report-path": { option: "output", hint: "gitleaks'; in keywarden: --output" },
  "report-format": { option: "format", hint: "gitleaks'; in keywarden: --format" },
  "baseline-path": { option: "baseline", hint: "gitleaks'; in keywarden: --baseline" },
  "gitleaks-ignore-path": {
    option: "ignore-file",
    hint: "gitleaks'; in keywarden: --ignore-file",
  },
  "max-target-megabytes": {
    option: "max-file-size",
    hint: "gitleaks'; in keywarden: --max-file-size, e.g. 10MB",
  },
  "exit-code": {
    option: "fail-on",
    hint: "gitleaks'; in keywarden: --fail-on none never fails on findings",
  },
  "log-opts": {
    option: "max-count",
    hint: "gitleaks'; in keywarden: history --range A..B, --branch, --since, --max-count",
  },
  "only-verified": {
    option: "only-live",
    hint: "trufflehog's; in keywarden: --verify --only-live",
  },
  results: { option: "only-live", hint: "trufflehog's; in keywarden: --verify --only-live" },
  json: {
    option: "format",
    hint: "trufflehog's; in keywarden: --format jsonl, one finding per line",
  },
};

/** What a peer scanner's option is in keywarden, when the command has that option. */
function peerHint(name: string, known: readonly string[]): string | undefined {
  const peer = Object.hasOwn(PEER_OPTIONS, name) ? PEER_OPTIONS[name] : undefined;
  return peer && known.includes(peer.option) ? peer.hint : undefined;
}

/**
 * yargs' "Unknown argument(s): …" message, with each unknown option named as typed and a
 * did-you-mean where one is near; other messages unchanged. `known`: the command's options,
 * dashed as declared.
 */
export function describeUnknownOptions(
  message: string,
  argv: readonly string[],
  known: readonly string[],
): string {
  const match = UNKNOWN.exec(message);
  if (!match) return message;
  const reported = new Set(match[1]!.split(", "));
  const named: string[] = [];
  const told = new Set<string>();
  for (const option of typedOptions(argv)) {
    const keys = option.keys.filter((key) => reported.has(key));
    if (keys.length === 0 || told.has(option.shown)) continue;
    told.add(option.shown);
    for (const key of option.keys) reported.delete(key);
    const peer = peerHint(option.name, known);
    const meant = option.name.length > 1 && !peer ? suggestion(option.name, known) : undefined;
    named.push(
      peer
        ? `${option.shown} (${peer})`
        : meant
          ? `${option.shown} (did you mean ${meant}?)`
          : option.shown,
    );
  }
  // What yargs names that no typed option accounts for: a stray word, as it was given.
  named.push(...reported);
  return `Unknown ${named.length === 1 ? "argument" : "arguments"}: ${named.join(", ")}`;
}
