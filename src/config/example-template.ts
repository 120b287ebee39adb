import { randomInt } from "node:crypto";
import { isPlaceholderSecret } from "../engine/placeholder.js";
import { ConfigError } from "../errors.js";

/**
 * Rule examples are written as templates so the repository holds no key-shaped literals:
 * `{{alnum:36}}` expands to 36 random characters of that set at test time.
 *
 *   {{<set>:<length>}}          a set below
 *   {{chars:<characters>:<n>}}  characters listed literally (no `:` or `}`)
 *   {{uuid}}                    a random lowercase UUID v4
 *
 * A match example may mark the expected secret with [[ ... ]].
 */

const CHARSETS: Readonly<Record<string, string>> = {
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  alpha: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lower: "abcdefghijklmnopqrstuvwxyz",
  upalnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  lowalnum: "abcdefghijklmnopqrstuvwxyz0123456789",
  digits: "0123456789",
  hex: "0123456789abcdef",
  HEX: "0123456789ABCDEF",
  b64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  b64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
  base32: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
};

const TEMPLATE = /\{\{(?:(uuid)|chars:([^:}]+):(\d+)|([A-Za-z0-9]+):(\d+))\}\}/g;
const SECRET_MARK = /\[\[([\s\S]*?)\]\]/;

export function charsetNames(): readonly string[] {
  return Object.keys(CHARSETS);
}

/**
 * Random characters from a set. Draws the engine would take for a placeholder (a run of six
 * equal characters, "xxxx", "example" by chance) are drawn again, so examples never flake.
 */
export function randomString(characters: string, length: number): string {
  for (;;) {
    let out = "";
    for (let i = 0; i < length; i++) out += characters[randomInt(characters.length)];
    if (length < 4 || new Set(characters).size < 4 || !isPlaceholderSecret(out)) return out;
  }
}

function randomUuid(): string {
  const hex = randomString(CHARSETS.hex!, 32);
  const variant = "89ab"[randomInt(4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Expands every template in `text`. Throws on an unknown character set name. */
export function expandTemplate(text: string): string {
  return text.replace(TEMPLATE, (_whole, uuid, literalSet, literalLength, setName, length) => {
    if (uuid) return randomUuid();
    if (literalSet) return randomString(literalSet, Number(literalLength));
    const characters = CHARSETS[setName as string];
    if (!characters) {
      throw new ConfigError(
        `unknown character set "${setName}" in example template (known: ${charsetNames().join(", ")}, chars:<list>, uuid)`,
      );
    }
    return randomString(characters, Number(length));
  });
}

export interface ExpandedExample {
  readonly text: string;
  /** The [[marked]] span after expansion, when the example marks one. */
  readonly markedSecret?: string;
}

/** Draws of one example at most, for a template whose secret the rule can never take. */
const MAX_DRAWS = 100;

/**
 * Expands templates and strips the [[ ]] secret mark, returning the marked text. Given the
 * rule's own checks of a secret (engine/secret-checks.ts), a draw whose marked secret they
 * reject is drawn again, as placeholder-like draws are: a random value can fall below the
 * entropy floor when a few characters repeat, spell a stop word ("mock") or be all letters,
 * and by the rule's own definition that value is no finding. Examples must not flake on it.
 */
export function expandExample(
  template: string,
  takesSecret: (secret: string) => boolean = () => true,
): ExpandedExample {
  for (let draw = 1; ; draw++) {
    const expanded = expandTemplate(template);
    const mark = SECRET_MARK.exec(expanded);
    if (!mark) return { text: expanded };
    const secret = mark[1]!;
    if (takesSecret(secret) || draw === MAX_DRAWS) {
      return { text: expanded.replace(SECRET_MARK, "$1"), markedSecret: secret };
    }
  }
}

/** True when a string still holds a template (used to tell templates from literal examples). */
export function hasTemplate(text: string): boolean {
  TEMPLATE.lastIndex = 0;
  return TEMPLATE.test(text);
}
