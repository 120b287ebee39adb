/**
 * Go RE2 regular expressions (gitleaks rules) to JavaScript. The two agree on most syntax; the
 * differences handled here:
 *
 * - flag groups: a leading `(?i)` / `(?s)` / `(?m)` becomes a RegExp flag; flags switched on or
 *   off further in (`(?i)abc(?-i)def`, `(?i:...)`) are spelled out: letters become `[aA]`, `.`
 *   becomes `[\s\S]` under `s`, `^`/`$` become lookarounds under `m`; `(?U)` swaps greediness;
 * - `\A`, `\z`, `\Q...\E`, `\x{10FFFF}`, octal escapes, `\pL`/`\p{Greek}` (with the `u` flag);
 * - POSIX classes `[[:alpha:]]`, a `]` first in a class, `{` that is not a repetition;
 * - `(?P<name>...)` named groups; escapes JavaScript would reject under `u` are normalised.
 *
 * It also picks the capture group holding the secret, named `secret` in the output.
 */

export interface Re2Translation {
  readonly source: string;
  /** Among i, m, s, u. */
  readonly flags: string;
  /** Name of the group holding the secret in `source`, when there is one. */
  readonly secretGroup?: string;
  /** Where the JavaScript pattern may behave differently from RE2 (for the import report). */
  readonly notes: readonly string[];
}

export class Re2Error extends Error {
  override readonly name = "Re2Error";
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

interface GroupInfo {
  readonly index: number;
  readonly name?: string;
  /** Capture indices of enclosing capture groups. */
  readonly parents: readonly number[];
  /** Followed by a quantifier that allows zero repetitions, or under one. */
  optional: boolean;
  /** A `|` at its level or at an enclosing level: it may not take part in a match. */
  inAlternation: boolean;
  /** Where the group's body starts in the RE2 source, and its text once closed. */
  readonly start: number;
  body?: string;
}

interface Frame {
  readonly saved: Flags;
  /** Capture index when the group captures, else -1. */
  readonly capture: number;
  /** Capture indices opened inside this frame, itself included (for optional/alternation). */
  readonly inner: number[];
  /** A `|` directly inside this group. */
  alternation: boolean;
}

const SYNTAX_CHARS = new Set("^$\\.*+?()[]{}|/".split(""));
const CLASS_SPECIAL = new Set("\\]^-[".split(""));

const POSIX_CLASSES: Readonly<Record<string, readonly [number, number][] | string>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: "\\w",
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

const PERL_CLASSES = new Set(["d", "D", "w", "W", "s", "S"]);

/** A group body that only chooses between literal words: `ghu|ghs`, `facebook|fb`. */
const LITERAL_CHOICE = /^(?:\?:)?(?:[\w\-.]|\\[^\w\s])+(?:\|(?:[\w\-.]|\\[^\w\s])+)*$/;

function hex(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\u{${cp.toString(16)}}`;
}

function isLetter(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

function otherCase(cp: number): number {
  return cp >= 0x61 ? cp - 0x20 : cp + 0x20;
}

/** Adds the other ASCII case of every letter in the ranges. */
function foldRanges(ranges: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [...ranges];
  for (const [lo, hi] of ranges) {
    for (const [a, z, shift] of [
      [0x61, 0x7a, -0x20],
      [0x41, 0x5a, 0x20],
    ] as const) {
      const from = Math.max(lo, a);
      const to = Math.min(hi, z);
      if (from <= to) out.push([from + shift, to + shift]);
    }
  }
  return out;
}

class Translator {
  private pos = 0;
  private out = "";
  private flags: Flags;
  private readonly hoisted: Flags;
  private needsUnicode = false;
  private captureCount = 0;
  readonly groups: GroupInfo[] = [];
  private readonly frames: Frame[] = [];
  private readonly topInner: number[] = [];
  private topAlternation = false;
  private readonly notes = new Set<string>();
  /** Capture indices of the group just closed (and its inner ones), for a following quantifier. */
  private lastClosed: number[] | undefined;

  constructor(
    private readonly src: string,
    /** Flags that become RegExp flags: the pattern is written relative to them. */
    hoisted: Flags,
    /** Flags in force after the leading flag group. */
    initial: Flags,
    /** Where the leading flag group ends (skipped: its flags are hoisted). */
    private readonly skipTo: number,
    private readonly secretCapture: number | undefined,
  ) {
    this.hoisted = hoisted;
    this.flags = { ...initial };
  }

  run(): { source: string; flags: string; notes: string[] } {
    this.pos = this.skipTo;
    while (this.pos < this.src.length) this.atom();
    if (this.frames.length > 0) throw new Re2Error("missing closing )");
    if (this.topAlternation)
      for (const index of this.topInner) this.groups[index - 1]!.inAlternation = true;
    const flags = `${this.hoisted.i ? "i" : ""}${this.hoisted.m ? "m" : ""}${this.hoisted.s ? "s" : ""}${this.needsUnicode ? "u" : ""}`;
    return { source: this.out, flags, notes: [...this.notes] };
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  private atom(): void {
    const c = this.src[this.pos]!;
    const isQuantifier =
      c === "*" ||
      c === "+" ||
      c === "?" ||
      (c === "{" && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos)));
    if (!isQuantifier) this.lastClosed = undefined;
    switch (c) {
      case "\\":
        this.escape();
        return;
      case "[":
        this.charClass();
        return;
      case "(":
        this.openGroup();
        return;
      case ")":
        this.closeGroup();
        return;
      case ".":
        this.pos++;
        this.out += this.flags.s === this.hoisted.s ? "." : this.flags.s ? "[\\s\\S]" : "[^\\n]";
        return;
      case "^":
        this.pos++;
        this.out +=
          this.flags.m === this.hoisted.m ? "^" : this.flags.m ? "(?<=^|\\n)" : "(?<![\\s\\S])";
        return;
      case "$":
        this.pos++;
        this.out +=
          this.flags.m === this.hoisted.m ? "$" : this.flags.m ? "(?=\\n|$)" : "(?![\\s\\S])";
        return;
      case "|":
        this.pos++;
        this.out += "|";
        if (this.frames.length > 0) this.frames[this.frames.length - 1]!.alternation = true;
        else this.topAlternation = true;
        return;
      case "*":
      case "+":
      case "?":
        this.pos++;
        this.quantifier(c, c !== "+");
        return;
      case "{": {
        const repeat = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
        if (repeat) {
          this.pos += repeat[0].length;
          this.quantifier(repeat[0], Number(repeat[1]) === 0);
        } else {
          this.pos++;
          this.out += "\\{";
        }
        return;
      }
      case "}":
      case "]":
      case "/":
        this.pos++;
        this.out += `\\${c}`;
        return;
      default: {
        const cp = this.src.codePointAt(this.pos)!;
        this.pos += cp > 0xffff ? 2 : 1;
        this.literal(cp);
      }
    }
  }

  /** A quantifier after an atom; marks the atom's groups optional when it allows zero. */
  private quantifier(text: string, allowsZero: boolean): void {
    let lazy = false;
    if (this.peek() === "?") {
      lazy = true;
      this.pos++;
    }
    if (this.peek() === "+" || this.peek() === "*" || (this.peek() === "?" && !lazy)) {
      throw new Re2Error("invalid nested repetition operator");
    }
    if (this.flags.U) lazy = !lazy;
    this.out += `${text}${lazy ? "?" : ""}`;
    if (allowsZero && this.lastClosed) {
      for (const index of this.lastClosed) this.groups[index - 1]!.optional = true;
    }
    this.lastClosed = undefined;
  }

  private literal(cp: number): void {
    if (this.flags.i && !this.hoisted.i && isLetter(cp)) {
      const lower = cp >= 0x61 ? cp : otherCase(cp);
      this.out += `[${String.fromCodePoint(lower)}${String.fromCodePoint(otherCase(lower))}]`;
      return;
    }
    this.out += this.escaped(cp, SYNTAX_CHARS);
  }

  /** One character as JS regex source, escaped where `special` says it means syntax there. */
  private escaped(cp: number, special: ReadonlySet<string>): string {
    const ch = String.fromCodePoint(cp);
    if (special.has(ch)) return `\\${ch}`;
    if (cp < 0x20 || cp === 0x7f) return hex(cp);
    if (cp > 0xffff) this.needsUnicode = true;
    return ch;
  }

  private readHex(): number {
    // after `\x`
    if (this.peek() === "{") {
      const close = this.src.indexOf("}", this.pos);
      const digits = close < 0 ? "" : this.src.slice(this.pos + 1, close);
      if (!/^[0-9a-fA-F]{1,6}$/.test(digits)) throw new Re2Error("invalid \\x{...} escape");
      this.pos = close + 1;
      return Number.parseInt(digits, 16);
    }
    const digits = this.src.slice(this.pos, this.pos + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(digits)) throw new Re2Error("invalid \\x escape");
    this.pos += 2;
    return Number.parseInt(digits, 16);
  }

  /** `\p{Greek}`, `\pL`, `\PN`: the JavaScript property escape (needs the u flag). */
  private unicodeClass(negated: boolean): string {
    let name: string;
    if (this.peek() === "{") {
      const close = this.src.indexOf("}", this.pos);
      if (close < 0) throw new Re2Error("invalid \\p{...} escape");
      name = this.src.slice(this.pos + 1, close);
      this.pos = close + 1;
    } else {
      name = this.peek();
      this.pos++;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) throw new Re2Error(`invalid Unicode class \\p{${name}}`);
    this.needsUnicode = true;
    if (name === "Any") return negated ? "[^\\s\\S]" : "[\\s\\S]";
    const property = name.length <= 2 ? name : `Script=${name}`;
    return `\\${negated ? "P" : "p"}{${property}}`;
  }

  /** Reads an escape that stands for one character; undefined when it is not one. */
  private escapedChar(c: string): number | undefined {
    switch (c) {
      case "a":
        return 0x07;
      case "f":
        return 0x0c;
      case "t":
        return 0x09;
      case "n":
        return 0x0a;
      case "r":
        return 0x0d;
      case "v":
        return 0x0b;
      case "x":
        return this.readHex();
      default:
        break;
    }
    if (c >= "0" && c <= "7") {
      // Octal: \0.. or \1-\7 followed by more octal digits (a lone \1 would be a backreference).
      const octal = /^[0-7]{1,3}/.exec(this.src.slice(this.pos - 1))![0];
      if (c !== "0" && octal.length === 1)
        throw new Re2Error(`backreference \\${c} is not supported by RE2`);
      this.pos += octal.length - 1;
      return Number.parseInt(octal, 8);
    }
    if (c.length === 1 && !/[0-9A-Za-z]/.test(c)) return c.codePointAt(0)!;
    return undefined;
  }

  private escape(): void {
    this.pos++;
    const c = this.peek();
    if (c === "") throw new Re2Error("trailing backslash");
    this.pos++;
    if (PERL_CLASSES.has(c) || c === "b" || c === "B") {
      this.out += `\\${c}`;
      return;
    }
    if (c === "A") {
      this.out += this.hoisted.m ? "(?<![\\s\\S])" : "^";
      return;
    }
    if (c === "z") {
      this.out += this.hoisted.m ? "(?![\\s\\S])" : "$";
      return;
    }
    if (c === "Q") {
      const end = this.src.indexOf("\\E", this.pos);
      const text = this.src.slice(this.pos, end < 0 ? undefined : end);
      this.pos = end < 0 ? this.src.length : end + 2;
      for (const ch of text) this.literal(ch.codePointAt(0)!);
      return;
    }
    if (c === "E") return; // a stray \E ends nothing in RE2 either
    if (c === "p" || c === "P") {
      this.out += this.unicodeClass(c === "P");
      return;
    }
    if (c === "C") throw new Re2Error("\\C (any byte) has no JavaScript equivalent");
    const cp = this.escapedChar(c);
    if (cp === undefined) throw new Re2Error(`invalid escape \\${c}`);
    this.literal(cp);
  }

  /** One class member that is a single character: a literal or an escape. */
  private classCodePoint(): number | undefined {
    if (this.peek() === "\\") {
      const c = this.peek(1);
      if (PERL_CLASSES.has(c) || c === "p" || c === "P") return undefined;
      this.pos += 2;
      const cp = this.escapedChar(c);
      if (cp === undefined) throw new Re2Error(`invalid escape \\${c} in a character class`);
      return cp;
    }
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private charClass(): void {
    this.pos++;
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.pos++;
    }
    const ranges: [number, number][] = [];
    const raw: string[] = [];
    let first = true;
    for (;;) {
      if (this.pos >= this.src.length) throw new Re2Error("missing closing ]");
      const c = this.peek();
      if (c === "]" && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === "[" && this.peek(1) === ":") {
        const close = this.src.indexOf(":]", this.pos + 2);
        const name = close < 0 ? "" : this.src.slice(this.pos + 2, close);
        const posixNegated = name.startsWith("^");
        const members = POSIX_CLASSES[posixNegated ? name.slice(1) : name];
        if (members) {
          this.pos = close + 2;
          if (posixNegated) {
            // [[:^alpha:]] alone is the negated class; mixed with other members it cannot be spelled.
            if (ranges.length > 0 || raw.length > 0 || this.peek() !== "]") {
              throw new Re2Error(
                `[:${name}:] mixed with other members of a class is not supported`,
              );
            }
            negated = !negated;
          }
          if (typeof members === "string") raw.push(members);
          else ranges.push(...members);
          continue;
        }
      }
      if (
        c === "\\" &&
        (PERL_CLASSES.has(this.peek(1)) || this.peek(1) === "p" || this.peek(1) === "P")
      ) {
        const kind = this.peek(1);
        this.pos += 2;
        raw.push(kind === "p" || kind === "P" ? this.unicodeClass(kind === "P") : `\\${kind}`);
        continue;
      }
      const lo = this.classCodePoint()!;
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "") {
        this.pos++;
        const hi = this.classCodePoint();
        if (hi === undefined) throw new Re2Error("invalid character class range");
        if (hi < lo)
          throw new Re2Error(
            `invalid character class range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`,
          );
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
    }
    const all = this.flags.i && !this.hoisted.i ? foldRanges(ranges) : ranges;
    const body = all.map(([lo, hi]) =>
      lo === hi
        ? this.escaped(lo, CLASS_SPECIAL)
        : `${this.escaped(lo, CLASS_SPECIAL)}-${this.escaped(hi, CLASS_SPECIAL)}`,
    );
    this.out += `[${negated ? "^" : ""}${body.join("")}${raw.join("")}]`;
  }

  private openGroup(): void {
    const rest = this.src.slice(this.pos);
    const parents = this.frames.filter((f) => f.capture > 0).map((f) => f.capture);
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      this.pos += named[0].length;
      this.pushCapture(named[1], parents);
      return;
    }
    const flagGroup = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
    if (flagGroup && (flagGroup[1] || flagGroup[2] !== undefined)) {
      this.pos += flagGroup[0].length;
      const next = { ...this.flags };
      for (const f of flagGroup[1] ?? "") next[f as keyof Flags] = true;
      for (const f of flagGroup[2] ?? "") next[f as keyof Flags] = false;
      if (flagGroup[3] === ")") {
        this.flags = next;
        return;
      }
      this.frames.push({ saved: { ...this.flags }, capture: -1, inner: [], alternation: false });
      this.flags = next;
      this.out += "(?:";
      return;
    }
    if (rest.startsWith("(?:")) {
      this.pos += 3;
      this.frames.push({ saved: { ...this.flags }, capture: -1, inner: [], alternation: false });
      this.out += "(?:";
      return;
    }
    if (rest.startsWith("(?")) throw new Re2Error(`unsupported group syntax ${rest.slice(0, 4)}`);
    this.pos++;
    this.pushCapture(undefined, parents);
  }

  private pushCapture(name: string | undefined, parents: number[]): void {
    const index = ++this.captureCount;
    this.groups.push({
      index,
      ...(name ? { name } : {}),
      parents,
      optional: false,
      inAlternation: false,
      start: this.pos,
    });
    for (const frame of this.frames) frame.inner.push(index);
    this.topInner.push(index);
    this.frames.push({
      saved: { ...this.flags },
      capture: index,
      inner: [index],
      alternation: false,
    });
    if (index === this.secretCapture) this.out += `(?<${name ?? "secret"}>`;
    else this.out += name ? `(?<${name}>` : "(";
  }

  private closeGroup(): void {
    const frame = this.frames.pop();
    if (!frame) throw new Re2Error("unexpected )");
    if (frame.capture > 0) {
      const group = this.groups[frame.capture - 1]!;
      group.body = this.src.slice(group.start, this.pos);
    }
    this.pos++;
    this.flags = frame.saved;
    this.out += ")";
    this.lastClosed = frame.inner;
    if (frame.alternation) {
      // Alternatives inside this group: its inner groups may not take part.
      for (const index of frame.inner)
        if (index !== frame.capture) this.groups[index - 1]!.inAlternation = true;
    }
  }
}

/** A leading flag group (`(?i)`, `(?is)`) whose flags can be RegExp flags. */
function leadingFlags(src: string): { flags: Flags; end: number } {
  const none: Flags = { i: false, m: false, s: false, U: false };
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (!lead) return { flags: none, end: 0 };
  const flags = { ...none };
  for (const f of lead[1]!) flags[f as keyof Flags] = true;
  // U has no RegExp flag: keep it as a mode of the translation instead.
  return { flags, end: lead[0].length };
}

export interface TranslateOptions {
  /**
   * The gitleaks rule's secretGroup (1-based); undefined for gitleaks' default, the first
   * capture group (here: the first that always takes part in a match). 0: no secret group.
   */
  readonly secretGroup?: number;
  /** False when the result cannot carry RegExp flags (allowlist regexes): spell them out. */
  readonly allowFlags?: boolean;
}

/** Translates an RE2 pattern; throws Re2Error for what JavaScript cannot express. */
export function translateRe2(pattern: string, options: TranslateOptions = {}): Re2Translation {
  const { secretGroup, allowFlags = true } = options;
  const lead = leadingFlags(pattern);
  const hoisted: Flags = allowFlags
    ? { ...lead.flags, U: false }
    : { i: false, m: false, s: false, U: false };
  // A later (?-i) cannot be expressed under the i flag: spell case-insensitivity out instead.
  if (hoisted.i && /\(\?[imsU]*-[msU]*i/.test(pattern.slice(lead.end))) hoisted.i = false;

  // The leading group's flags stay on for the rest of the pattern (U included).
  const analyse = new Translator(pattern, hoisted, lead.flags, lead.end, undefined);
  analyse.run();
  const groups = analyse.groups;

  let capture: number | undefined;
  const notes: string[] = [];
  if (secretGroup === 0) {
    capture = undefined;
  } else if (secretGroup !== undefined) {
    if (secretGroup > groups.length) {
      throw new Re2Error(
        `secretGroup ${secretGroup} but the pattern has only ${groups.length} capture groups`,
      );
    }
    capture = secretGroup;
  } else if (groups.length > 0) {
    // gitleaks takes the first non-empty group. Here: the first group that always takes part
    // and is not a mere choice of words such as (ghu|ghs), which would make every key of the
    // rule share one "secret" (and one fingerprint).
    const always = groups.find((group) => {
      const chain = [group, ...group.parents.map((index) => groups[index - 1]!)];
      return (
        chain.every((g) => !g.optional && !g.inAlternation) &&
        !LITERAL_CHOICE.test(group.body ?? "")
      );
    });
    capture = always?.index;
    if (!always)
      notes.push("the whole match is the secret (no capture group always holds a value)");
    else if (always.index !== 1)
      notes.push(
        `the secret is capture group ${always.index}, the first that always holds a value`,
      );
  }

  const emit = new Translator(pattern, hoisted, lead.flags, lead.end, capture);
  const result = emit.run();
  if (!allowFlags && result.flags.includes("u")) {
    throw new Re2Error(
      "Unicode classes (\\p{...}) need the u flag, which this pattern cannot carry",
    );
  }
  const group = capture === undefined ? undefined : groups[capture - 1];
  return {
    source: result.source,
    flags: result.flags,
    ...(group ? { secretGroup: group.name ?? "secret" } : {}),
    notes: [...notes, ...result.notes],
  };
}
