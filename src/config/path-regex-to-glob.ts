/**
 * gitleaks names paths with regular expressions; keywarden uses globs (picomatch, dot files
 * included). This turns the path regexes people actually write into globs:
 *
 *   (?:^|/)vendor/                    → **\/vendor/*
 *   ^docs/.*$                         → docs/*
 *   \.env\.prod                       → **\/*.env.prod*
 *   \.env\.prod$                      → **\/*.env.prod (wider: also a.env.prod/b)
 *   (.*?)(jpg|gif|svg)$               → **\/*{jpg,gif,svg} (wider, the same way)
 *
 * A glob also covers everything inside a folder it names (config-globs.ts). A regex that does
 * not end at `$` does too; one that does names paths ending there, so its globs are wider
 * (listed in `widenings`) unless a wildcard ends it.
 *
 * Regexes beyond that (classes with quantifiers, \d, nested repetition...) are refused with a
 * reason, for the import report.
 */

export interface GlobConversion {
  readonly globs: readonly string[];
  /** Where the globs are stricter than the regex: they match fewer paths. */
  readonly notes: readonly string[];
  /**
   * Where the globs are looser than the regex: they match paths it does not. An allowlist must
   * not take such globs (it would hide what gitleaks reports); a rule's paths may.
   */
  readonly widenings: readonly string[];
}

/** What a conversion gathers besides its tokens. */
interface Remarks {
  readonly notes: Set<string>;
  readonly widenings: Set<string>;
}

export class PathRegexError extends Error {
  override readonly name = "PathRegexError";
}

const GLOB_SPECIAL = new Set("*?[]{}()!\\".split(""));

type Token =
  | { readonly kind: "text"; readonly glob: string }
  | { readonly kind: "wild" }
  | { readonly kind: "slash" };

/**
 * Walks a regex source from `from`, skipping escapes and character classes, with the group
 * depth after each parenthesis; stops when `visit` returns true.
 */
function walkRegex(
  source: string,
  from: number,
  visit: (char: string, index: number, depth: number) => boolean | undefined,
): void {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    if (visit(c, i, depth)) return;
  }
}

/** Splits on `|` outside groups and classes. */
function splitAlternation(source: string): string[] {
  const parts: string[] = [];
  let start = 0;
  walkRegex(source, 0, (c, i, depth) => {
    if (c === "|" && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
    return false;
  });
  parts.push(source.slice(start));
  return parts;
}

function literalGlob(ch: string): string {
  return GLOB_SPECIAL.has(ch) ? `\\${ch}` : ch;
}

/** The group body `(a|b)` as a brace list, each alternative plain text. */
function groupAlternatives(body: string, remarks: Remarks): string[] {
  return splitAlternation(body).map((alternative) => {
    const tokens = tokenize(alternative, remarks, true);
    return tokens
      .map((token) => {
        if (token.kind === "text") return token.glob;
        if (token.kind === "slash") return "/";
        throw new PathRegexError("a wildcard inside a group has no glob form");
      })
      .join("");
  });
}

function matchingParen(source: string, open: number): number {
  let close = -1;
  walkRegex(source, open, (c, i, depth) => {
    if (c === ")" && depth === 0) close = i;
    return close !== -1;
  });
  if (close !== -1) return close;
  throw new PathRegexError("missing closing )");
}

function tokenize(source: string, remarks: Remarks, inGroup = false): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const optional = () => {
    if (source[i] === "?") {
      i++;
      return true;
    }
    return false;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (/[0-9A-Za-z]/.test(next)) throw new PathRegexError(`\\${next} has no glob form`);
      i += 2;
      const glob = next === "/" ? "/" : literalGlob(next);
      if (optional()) tokens.push({ kind: "text", glob: `{${glob},}` });
      else tokens.push(next === "/" ? { kind: "slash" } : { kind: "text", glob });
      continue;
    }
    if (c === ".") {
      const quantifier = /^\.(?:\*|\+)\??/.exec(source.slice(i));
      if (quantifier) {
        i += quantifier[0].length;
        tokens.push({ kind: "wild" });
        continue;
      }
      i++;
      if (optional()) throw new PathRegexError("an optional any-character has no glob form");
      tokens.push({ kind: "text", glob: "?" });
      continue;
    }
    if (c === "[") {
      const close = source.indexOf("]", i + 2);
      if (close < 0) throw new PathRegexError("missing closing ]");
      const body = source.slice(i + 1, close);
      i = close + 1;
      const quantifier = /^[*+]\??/.exec(source.slice(i));
      if (quantifier) {
        i += quantifier[0].length;
        if (body === "^/") tokens.push({ kind: "text", glob: "*" });
        else {
          remarks.widenings.add(
            `[${body}] repeated would become * (any characters within a path segment)`,
          );
          tokens.push({ kind: "text", glob: "*" });
        }
        continue;
      }
      if (/\\[dDwWsS]/.test(body)) throw new PathRegexError(`[${body}] has no glob form`);
      const glob = `[${body.replace(/\\(.)/g, "$1").replace(/^\^/, "!")}]`;
      if (optional()) throw new PathRegexError("an optional character class has no glob form");
      tokens.push({ kind: "text", glob });
      continue;
    }
    if (c === "(") {
      const close = matchingParen(source, i);
      let body = source.slice(i + 1, close);
      if (body.startsWith("?:")) body = body.slice(2);
      else if (body.startsWith("?"))
        throw new PathRegexError(`group (${body.slice(0, 3)}... has no glob form`);
      i = close + 1;
      const isOptional = optional();
      if (/^[*+{]/.test(source[i] ?? ""))
        throw new PathRegexError("a repeated group has no glob form");
      // A group that is only a wildcard: `(.*?)`.
      if (/^\.[*+]\??$/.test(body)) {
        tokens.push({ kind: "wild" });
        continue;
      }
      const alternatives = groupAlternatives(body, remarks);
      if (isOptional) alternatives.push("");
      tokens.push({
        kind: "text",
        glob: alternatives.length === 1 ? alternatives[0]! : `{${alternatives.join(",")}}`,
      });
      continue;
    }
    if (c === "/") {
      i++;
      tokens.push({ kind: "slash" });
      continue;
    }
    if (c === "^" || c === "$")
      throw new PathRegexError(`an anchor ${c} inside the pattern has no glob form`);
    if (c === "*" || c === "+" || c === "?" || c === "{")
      throw new PathRegexError(`repetition ${c} has no glob form`);
    if (c === "|" && !inGroup) throw new PathRegexError("unexpected |");
    i++;
    if (optional()) tokens.push({ kind: "text", glob: `{${literalGlob(c)},}` });
    else tokens.push({ kind: "text", glob: literalGlob(c) });
  }
  return tokens;
}

function convertBranch(branch: string, remarks: Remarks): string[] {
  const { notes } = remarks;
  let body = branch;
  let startAnchor: "start" | "segment" | "none" = "none";
  const segmentStart = /^\((?:\?:)?\^\|\/\)/.exec(body);
  if (segmentStart) {
    startAnchor = "segment";
    body = body.slice(segmentStart[0].length);
  } else if (body.startsWith("^")) {
    startAnchor = "start";
    body = body.slice(1);
  }
  let endAnchored = false;
  if (body.endsWith("$") && !body.endsWith("\\$")) {
    endAnchored = true;
    body = body.slice(0, -1);
  }
  const tokens = tokenize(body, remarks);
  // Unanchored ends already mean "anything here": a wildcard there adds nothing.
  if (startAnchor === "none") while (tokens[0]?.kind === "wild") tokens.shift();
  if (!endAnchored) while (tokens[tokens.length - 1]?.kind === "wild") tokens.pop();

  let glob = "";
  tokens.forEach((token, index) => {
    if (token.kind === "text") glob += token.glob;
    else if (token.kind === "slash") glob += "/";
    else {
      const before = tokens[index - 1];
      const after = tokens[index + 1];
      const atSegmentStart =
        before === undefined ? startAnchor !== "none" : before.kind === "slash";
      const atSegmentEnd = after === undefined || after.kind === "slash";
      // A wildcard that ends the path: one name is enough, a glob covers what a folder holds.
      // (`docs/**` would also match a file named `docs`, which `^docs/.*$` does not.)
      if (after === undefined) glob += "*";
      else if (atSegmentStart && atSegmentEnd) glob += "**";
      else if (atSegmentStart) glob += "**/*";
      else if (atSegmentEnd) glob += "*/**";
      else {
        glob += "*";
        notes.add("a wildcard inside a file name does not cross directories in a glob");
      }
    }
  });
  if (glob.length === 0) throw new PathRegexError("the pattern matches every path");

  const prefix =
    startAnchor === "start"
      ? ""
      : startAnchor === "segment" || glob.startsWith("/")
        ? "**/"
        : "**/*";
  const core = `${prefix}${glob.startsWith("/") ? glob.slice(1) : glob}`;
  // Unanchored at the end, the regex also matches whatever lies inside what it matches, as the
  // glob covers a folder's contents. Anchored, it names a path that ends there: unless a
  // wildcard ends it, the glob would also cover the files in a folder of that name (`bin/x.env`
  // under `(jpg|bin)$`), and no glob names files alone.
  const unanchored = endAnchored ? core : `${core}*`;
  // A config glob with no slash matches at any depth; `^name` means the top folder's alone.
  const result =
    startAnchor === "start" && !unanchored.includes("/") ? `/${unanchored}` : unanchored;
  if (endAnchored && tokens[tokens.length - 1]?.kind !== "wild")
    remarks.widenings.add(
      `${result} would also cover the files in a folder so named (the regex ends at $)`,
    );
  return [result];
}

/** Converts one gitleaks path regex; throws PathRegexError with a reason when it cannot. */
export function pathRegexToGlobs(regex: string): GlobConversion {
  const notes = new Set<string>();
  const remarks: Remarks = { notes, widenings: new Set() };
  let source = regex;
  const flags = /^\(\?([imsU]+)\)/.exec(source);
  if (flags) {
    source = source.slice(flags[0].length);
    if (flags[1]!.includes("i")) notes.add("the regex ignored case; globs match case exactly");
  }
  const globs = splitAlternation(source).flatMap((branch) => convertBranch(branch, remarks));
  return {
    globs: [...new Set(globs.map((glob) => glob.replace(/\*\*\/\*\*\//g, "**/")))],
    notes: [...notes],
    widenings: [...remarks.widenings],
  };
}
