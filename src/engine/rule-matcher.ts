import type { CompiledRule } from "../config/compile-rules.js";
import { type LineIndex, spanAround } from "./line-index.js";
import { type Candidate, MAX_RUN_STRIDE } from "./prefilter.js";
import { keywordWindows } from "./windows.js";

/** Up to this many places a match can start are sorted; more are marked (see matchStarts). */
const SORTED_STARTS = 4096;

/** A regex match of a rule, before the rule's checks and allowlists. Offsets are the text's. */
export interface RawMatch {
  readonly rule: CompiledRule;
  readonly match: string;
  readonly matchStart: number;
  readonly secret: string;
  /** Where the secret starts and ends. */
  readonly start: number;
  readonly end: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Text positions [from, to). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/**
 * The matches of one rule in a text: tried only where a match can start when the rule has
 * keyword leads, else searched in windows around its keyword hits when it has a reach, else
 * searched in the whole text. `keywordLength`: the rule's longest keyword. With `band`, only
 * matches starting in it are wanted, and only the keyword hits that can belong to one are used.
 */
export function matchRule(
  rule: CompiledRule,
  keywordLength: number,
  text: string,
  candidate: Candidate,
  lines: LineIndex,
  found: RawMatch[],
  band?: Span,
): void {
  const { hitStarts, hitLeads } = candidate;
  if (hitLeads) {
    matchAt(rule, text, matchStarts(hitStarts, hitLeads, band), found);
    return;
  }
  const reach = rule.reach;
  if (!reach || hitStarts.length === 0) {
    matchIn(rule, text, 0, text.length, 0, text.length, found, band);
    return;
  }
  // A match starting in the band holds its keyword within one reach of its start.
  const near = band ? hitsNear(hitStarts, band, reach.chars, reach.lines, text) : hitStarts;
  const windows = keywordWindows(near, keywordLength, reach, lines, text.length);
  for (let i = 0; i < windows.length; i += 4) {
    matchIn(
      rule,
      text,
      windows[i]!,
      windows[i + 1]!,
      windows[i + 2]!,
      windows[i + 3]!,
      found,
      band,
    );
  }
}

/**
 * The places a match can start, ascending and each once: each hit less each lead of its keyword.
 * A keyword repeated through a text ("secretsecret…", "glpat-glpat-…") gives a hit every few
 * characters and up to 32 leads each: millions of places, which a plain array holds at several
 * times the text's size and sorts slowly. Those are marked in a byte per character of the
 * stretch they cover instead, read back in order: linear, whatever the text repeats.
 */
function matchStarts(
  hitStarts: readonly number[],
  hitLeads: readonly (readonly number[] | undefined)[],
  band: Span | undefined,
): Int32Array {
  const from = band?.from ?? 0;
  const to = band?.to ?? Number.POSITIVE_INFINITY;
  let count = 0;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < hitStarts.length; i++) {
    const leads = hitLeads[i];
    if (leads === undefined || leads.length === 0) continue;
    count += leads.length;
    // Leads ascend (see keyword-leads.ts).
    low = Math.min(low, hitStarts[i]! - leads[leads.length - 1]!);
    high = Math.max(high, hitStarts[i]! - leads[0]!);
  }
  low = Math.max(low, from);
  high = Math.min(high, to - 1);
  if (count === 0 || high < low) return new Int32Array(0);
  const starts = new Int32Array(count);
  const marked = count < SORTED_STARTS ? undefined : new Uint8Array(high - low + 1);
  count = 0;
  for (let i = 0; i < hitStarts.length; i++) {
    for (const lead of hitLeads[i] ?? []) {
      const start = hitStarts[i]! - lead;
      if (start < low || start > high) continue;
      if (marked) marked[start - low] = 1;
      else starts[count++] = start;
    }
  }
  if (!marked) return starts.subarray(0, count).sort();
  for (let at = 0; at < marked.length; at++) if (marked[at] === 1) starts[count++] = low + at;
  return starts.subarray(0, count);
}

/**
 * Hits within `chars` characters and `lines` line breaks of the band, and those up to two
 * strides beyond: in a run of one character the prefilter keeps a hit every stride, and the
 * ones on either side of the band's reach stand for those it left out (see prefilter.ts).
 */
function hitsNear(
  hitStarts: readonly number[],
  band: Span,
  chars: number,
  lineReach: number,
  text: string,
): number[] {
  const near = spanAround(text, band.from, band.to, chars, lineReach, lineReach + 1);
  const from = near.from - 2 * MAX_RUN_STRIDE;
  const to = near.to + 2 * MAX_RUN_STRIDE;
  return hitStarts.filter((start) => start >= from && start < to);
}

/**
 * Tries the sticky regex at each of `starts` (ascending) past the end of the last match, as a
 * search from the start of the text would: every match starts at one of them.
 */
function matchAt(rule: CompiledRule, text: string, starts: Int32Array, found: RawMatch[]): void {
  const regex = rule.stickyRegex;
  let next = 0;
  for (const start of starts) {
    if (start < next) continue;
    // Two hits can give the same place (keywords overlapping in a repeated run): try it once.
    next = start + 1;
    regex.lastIndex = start;
    const match = regex.exec(text);
    if (match === null) continue;
    next = start + Math.max(1, match[0].length);
    if (match[0].length > 0) addMatch(rule, match, 0, found);
  }
}

/**
 * Matches in text[from, to], keeping those within [acceptFrom, acceptTo]: the ones the cut
 * cannot have changed (see windows.ts).
 */
function matchIn(
  rule: CompiledRule,
  text: string,
  from: number,
  to: number,
  acceptFrom: number,
  acceptTo: number,
  found: RawMatch[],
  band: Span | undefined,
): void {
  const regex = rule.regex;
  const window = from === 0 && to === text.length ? text : text.slice(from, to);
  regex.lastIndex = 0;
  for (let match = regex.exec(window); match !== null; match = regex.exec(window)) {
    const matchStart = from + match.index;
    const matchEnd = matchStart + match[0].length;
    if (match[0].length === 0 || matchStart < acceptFrom || matchEnd > acceptTo) {
      // Try again one step on: a match the cut distorted may hide a true one overlapping it.
      regex.lastIndex = match.index + 1;
      continue;
    }
    if (band && (matchStart < band.from || matchStart >= band.to)) continue;
    addMatch(rule, match, from, found);
  }
}

/** Keeps a match that holds a secret, at offsets of the whole text (`offset` on). */
function addMatch(
  rule: CompiledRule,
  match: RegExpExecArray,
  offset: number,
  found: RawMatch[],
): void {
  const group = rule.secretGroup;
  const secret =
    typeof group === "number" ? match[group] : group ? match.groups?.[group] : match[0];
  const span =
    typeof group === "number"
      ? match.indices?.[group]
      : group
        ? match.indices?.groups?.[group]
        : match.indices?.[0];
  if (secret === undefined || span === undefined || secret.length === 0) return;
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(match.groups ?? {})) {
    if (name === group || value === undefined) continue;
    // A secret group given by index may itself be named: its name is no metadata, or the
    // secret would travel unredacted beside the finding.
    const at = match.indices?.groups?.[name];
    if (typeof group === "number" && at?.[0] === span[0] && at[1] === span[1]) continue;
    metadata[name] = value;
  }
  found.push({
    rule,
    match: match[0],
    matchStart: offset + match.index,
    secret,
    start: offset + span[0],
    end: offset + span[1],
    metadata,
  });
}
