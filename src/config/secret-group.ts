import { ConfigError } from "../errors.js";

/**
 * The group of a rule's pattern that holds the secret: a group's name, the 1-based index of a
 * capturing group (as gitleaks configs write `secretGroup = 1`), or undefined for the whole match.
 */
export type SecretGroup = string | number | undefined;

/** What a rule file may write: a name, an index, or an index written as a string ("1"). */
export type DeclaredSecretGroup = string | number | undefined;

const GROUP_NAME = /^[A-Za-z_$][\w$]*$/;

function namedGroups(pattern: string): Set<string> {
  // Read from the source: `(?<=` and `(?<!` lookbehinds do not fit the name pattern.
  const names = new Set<string>();
  for (const match of pattern.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)) names.add(match[1]!);
  return names;
}

/** How many capturing groups a regex has: an empty alternative matches "" with every group unset. */
function capturingGroupCount(regex: RegExp): number {
  return new RegExp(`${regex.source}|`, regex.flags.replace(/[gy]/g, "")).exec("")!.length - 1;
}

/**
 * The secret group a rule declares, checked against its pattern. `regex` is the compiled pattern,
 * or undefined for a rule checked when it was built (its index is then taken as sound). `where`
 * names the secretGroup field for messages.
 */
export function resolveSecretGroup(
  pattern: string,
  regex: RegExp | undefined,
  declared: DeclaredSecretGroup,
  where: string,
): SecretGroup {
  const names = namedGroups(pattern);
  if (declared === undefined) return names.has("secret") ? "secret" : undefined;
  if (typeof declared === "number" || /^\d+$/.test(declared)) {
    const index = Number(declared);
    if (index < 1)
      throw new ConfigError(
        `${where}: group 0 is the whole match, which is the default: remove secretGroup`,
      );
    const count = regex ? capturingGroupCount(regex) : index;
    if (index > count) {
      const groups =
        count === 0
          ? "no capturing group"
          : `only ${count} capturing group${count === 1 ? "" : "s"}`;
      throw new ConfigError(`${where}: the pattern has ${groups}, so no group ${index}`);
    }
    return index;
  }
  if (names.has(declared)) return declared;
  const advice = GROUP_NAME.test(declared)
    ? `add (?<${declared}>...) or remove secretGroup`
    : "a group name is letters, digits, _ and $ and does not start with a digit; a number names the n-th capturing group";
  throw new ConfigError(`${where}: the pattern has no group named "${declared}" (${advice})`);
}
