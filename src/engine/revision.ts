import type { RegexReach } from "../config/regex-reach.js";
import type { EncodedSpan } from "./decode.js";
import { spanAround } from "./line-index.js";
import type { Candidate } from "./prefilter.js";
import type { RawMatch, Span } from "./rule-matcher.js";

/**
 * A new revision of a text differs from the old one in a stretch between a common beginning and
 * a common end. What a rule finds away from that stretch is what it found in the old text, only
 * shifted past it; history scans read each version of a file, so most of every text is known.
 *
 * The arithmetic here rests on the reach of each pattern (config/regex-reach.ts): a match, with
 * what its look-arounds read, spans at most `chars` characters and `lines` line breaks. A match
 * whose start lies farther than that from the change read none of it, and the old text had it.
 */

/** Where two revisions differ, in whole lines of the new text. */
export interface ChangedZone {
  /** The changed lines of the new text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** Where the zone ends in the old text; it starts at `start` in both. */
  readonly oldEnd: number;
  /** How far the text after the zone moved: new length less old length. */
  readonly shift: number;
}

/** What two texts are known to share at their beginning and at their end, in characters. */
export interface KnownCommon {
  readonly prefix: number;
  readonly suffix: number;
}

export function changedZone(
  old: string,
  text: string,
  known: KnownCommon = { prefix: 0, suffix: 0 },
): ChangedZone {
  const shortest = Math.min(old.length, text.length);
  const prefix = commonPrefix(old, text, known.prefix, shortest);
  const suffix = commonSuffix(old, text, known.suffix, shortest - prefix);
  const start = prefix === 0 ? 0 : text.lastIndexOf("\n", prefix - 1) + 1;
  const newline = text.indexOf("\n", Math.max(prefix, text.length - suffix));
  const end = newline === -1 ? text.length : newline;
  const shift = text.length - old.length;
  return { start, end, oldEnd: end - shift, shift };
}

const FIRST_BLOCK = 256;
const LARGEST_BLOCK = 64 * 1024;
const SMALLEST_BLOCK = 16;

/*
 * How many characters the texts share at their start (end), from `from` known equal, up to
 * `limit`. Blocks double while equal and halve on a difference: equality of slices is one
 * native comparison, and big blocks make few slices. The two directions are written out: this
 * runs over every byte of history.
 */

function commonPrefix(old: string, text: string, from: number, limit: number): number {
  let length = Math.min(from, limit);
  let block = FIRST_BLOCK;
  while (block >= SMALLEST_BLOCK) {
    const end = length + block;
    if (end <= limit && old.slice(length, end) === text.slice(length, end)) {
      length = end;
      block = Math.min(block * 2, LARGEST_BLOCK);
    } else {
      block >>= 1;
    }
  }
  while (length < limit && old.charCodeAt(length) === text.charCodeAt(length)) length++;
  return length;
}

function commonSuffix(old: string, text: string, from: number, limit: number): number {
  let length = Math.min(from, limit);
  let block = FIRST_BLOCK;
  while (block >= SMALLEST_BLOCK) {
    const end = length + block;
    if (
      end <= limit &&
      old.slice(old.length - end, old.length - length) ===
        text.slice(text.length - end, text.length - length)
    ) {
      length = end;
      block = Math.min(block * 2, LARGEST_BLOCK);
    } else {
      block >>= 1;
    }
  }
  while (
    length < limit &&
    old.charCodeAt(old.length - length - 1) === text.charCodeAt(text.length - length - 1)
  ) {
    length++;
  }
  return length;
}

/**
 * The keyword hits of the new text: the old text's before and after the zone, and `fresh`, the
 * prefilter's hits starting from `longest - 1` characters before the zone (where a keyword may
 * run into it) up to its end. Rules found nowhere are left out. Both lists are in rule order,
 * as the prefilter gives them, and so is the result: they are merged in one pass.
 */
export function mergeHits(
  old: readonly Candidate[],
  fresh: readonly Candidate[],
  zone: ChangedZone,
  longest: number,
): Candidate[] {
  const freshFrom = zone.start - longest + 1;
  const merged: Candidate[] = [];
  let i = 0;
  let j = 0;
  while (i < old.length || j < fresh.length) {
    const rule = Math.min(old[i]?.rule ?? Infinity, fresh[j]?.rule ?? Infinity);
    const before = old[i]?.rule === rule ? old[i++] : undefined;
    const now = fresh[j]?.rule === rule ? fresh[j++] : undefined;
    const candidate = mergeRuleHits(rule, before, now, freshFrom, zone);
    if (candidate) merged.push(candidate);
  }
  return merged;
}

/** One rule's hits for mergeHits; undefined when a rule with keywords has none left. */
function mergeRuleHits(
  rule: number,
  before: Candidate | undefined,
  now: Candidate | undefined,
  freshFrom: number,
  zone: ChangedZone,
): Candidate | undefined {
  const hitStarts: number[] = [];
  // A rule has keyword leads or not, old text or new.
  const hitLeads: (readonly number[] | undefined)[] | undefined =
    (before?.hitLeads ?? now?.hitLeads) !== undefined ? [] : undefined;
  const take = (candidate: Candidate, k: number, by: number) => {
    hitStarts.push(candidate.hitStarts[k]! + by);
    hitLeads?.push(candidate.hitLeads?.[k]);
  };
  // Hit starts ascend: the old text's up to the fresh part, the fresh part's, then the old
  // text's from the zone's old end on, moved.
  const oldStarts = before?.hitStarts ?? [];
  let k = 0;
  for (; k < oldStarts.length && oldStarts[k]! < freshFrom; k++) take(before!, k, 0);
  if (now) for (let f = 0; f < now.hitStarts.length; f++) take(now, f, 0);
  while (k < oldStarts.length && oldStarts[k]! < zone.oldEnd) k++;
  for (; k < oldStarts.length; k++) take(before!, k, zone.shift);
  // A rule without keywords has no hits anywhere and still runs.
  if (hitStarts.length === 0 && (before ?? now)!.hitStarts.length > 0) return undefined;
  return { rule, hitStarts, hitLeads };
}

/**
 * The match starts a change can affect for a pattern of this reach: within `chars` characters
 * and `lines` line breaks of the zone. Matches starting elsewhere are the old text's.
 */
export function affectedBand(zone: ChangedZone, reach: RegexReach, text: string): Span {
  // One line more each side than the reach: a look-around reads the line break beyond.
  return spanAround(text, zone.start, zone.end, reach.chars, reach.lines + 1, reach.lines + 2);
}

/** The old text's matches that start outside the band, moved to the new text's offsets. */
export function keptMatches(
  old: readonly RawMatch[],
  zone: ChangedZone,
  band: Span,
): { before: RawMatch[]; after: RawMatch[] } {
  const before: RawMatch[] = [];
  const after: RawMatch[] = [];
  for (const match of old) {
    if (match.matchStart < zone.start) {
      if (match.matchStart < band.from) before.push(match);
    } else if (match.matchStart >= zone.oldEnd) {
      // Written out in RawMatch's order, not spread: one object shape for the hot paths.
      const moved: RawMatch = {
        rule: match.rule,
        match: match.match,
        matchStart: match.matchStart + zone.shift,
        secret: match.secret,
        start: match.start + zone.shift,
        end: match.end + zone.shift,
        metadata: match.metadata,
      };
      if (moved.matchStart >= band.to) after.push(moved);
    }
  }
  return { before, after };
}

/**
 * The old text's encoded runs outside the zone, moved: a run never crosses a line break, and
 * the zone is made of whole lines.
 */
export function keptSpans(
  old: readonly EncodedSpan[],
  zone: ChangedZone,
): {
  before: EncodedSpan[];
  after: EncodedSpan[];
} {
  const before: EncodedSpan[] = [];
  const after: EncodedSpan[] = [];
  for (const span of old) {
    if (span.end <= zone.start) before.push(span);
    else if (span.start >= zone.oldEnd) {
      after.push({
        start: span.start + zone.shift,
        end: span.end + zone.shift,
        decoded: span.decoded,
        encoding: span.encoding,
      });
    }
  }
  return { before, after };
}
