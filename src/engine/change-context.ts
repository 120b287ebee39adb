import type { CompiledRule } from "../config/compile-rules.js";
import type { RegexReach } from "../config/regex-reach.js";
import { indexedSpanAround, type LineIndex } from "./line-index.js";
import { buildKeywordSearch, keywordRegExp, type Prefilter } from "./prefilter.js";
import type { Span } from "./rule-matcher.js";
import { widenToWrappedBlocks } from "./wrapped-base64.js";

/**
 * How much of a new version of a file a scan of its added lines must read, so that the rules
 * find there what a scan of the whole file finds on those lines: a key whose provider is named
 * a few lines away, a private key whose body changed between unchanged markers.
 *
 * A match spans at most its pattern's reach (config/regex-reach.ts), look-arounds included, and
 * holds one of its rule's keywords (the engine looks for it only around them, windows.ts). A
 * match on an added line therefore lies within one reach of it, its keyword too, and it reads
 * nothing beyond two: text read two reaches each side of the added lines is read as the whole
 * file would be, as windows.ts reads two reaches around a keyword. A rule that far reaches
 * (a PuTTY key's thousands of lines) widens the read only where one of its keywords is in it.
 * The rule a finding needs nearby (`requires`) counts with its own reach, as far as `within`
 * allows. A pattern with no bound can reach anywhere: the whole text is read when a keyword of
 * it occurs. Base64 wrapped over lines is read whole, as the engine decodes it whole.
 */

/**
 * Whole-line stretches of `text` to read around `changed` (ascending runs of whole lines),
 * ascending and apart; `lines` is the text's line index.
 */
export type ChangeContext = (text: string, lines: LineIndex, changed: readonly Span[]) => Span[];

/** How far to read each side of a change: characters, and lines above and below. */
export interface Extent {
  readonly chars: number;
  readonly above: number;
  readonly below: number;
}

/**
 * What a rule of this reach may read around text it matches on: two reaches, and a line more
 * each side (a look-around reads the line break beyond), as affectedBand counts one reach.
 * Every line break is a character: a char bound bounds lines too.
 */
export function readExtent(reach: RegexReach): Extent {
  const lines = Math.min(reach.lines, reach.chars);
  return { chars: 2 * reach.chars, above: 2 * lines + 2, below: 2 * lines + 3 };
}

/** The positions within `extent` of text[from, to), of a text of `length`. */
export function extentAround(
  lines: LineIndex,
  length: number,
  from: number,
  to: number,
  extent: Extent,
): Span {
  return indexedSpanAround(lines, length, from, to, extent.chars, extent.above, extent.below);
}

/** An extent read only where a keyword of `rule` (an index into the gated rules) lies in it. */
interface GatedExtent extends Extent {
  readonly rule: number;
}

/**
 * An extent wider than this in both bounds is read only where one of its rules' keywords lies
 * in it: testing costs a native pass over it, reading it costs a scan by every rule. A rule
 * that matches within a line, or a provider rule that looks for its name a few hundred
 * characters away, reads less and is not tested.
 */
const GATED_CHARS = 512;
const GATED_LINES = 2;

/**
 * A test for one of these keywords, ASCII case folded as the prefilter reads them; undefined
 * when a rule has none (it is looked for everywhere).
 */
function keywordTest(rules: readonly CompiledRule[]): RegExp | undefined {
  if (rules.some((rule) => rule.keywords.length === 0)) return undefined;
  const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))];
  return keywordRegExp(keywords, "i");
}

/**
 * What the rules with a reach may read around text they match on, each with the rules it is
 * for: their own extent, and their companion's (`requires`) as far as `within` allows.
 */
function allExtents(
  rules: readonly CompiledRule[],
): (Extent & { readonly rules: readonly CompiledRule[] })[] {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const extents: (Extent & { readonly rules: readonly CompiledRule[] })[] = [];
  for (const rule of rules) {
    if (!rule.reach) continue;
    extents.push({ ...readExtent(rule.reach), rules: [rule] });
    const companion = rule.requires && byId.get(rule.requires.rule);
    if (companion?.reach) {
      // The companion's secret lies `within` lines of the finding's, itself within one reach
      // of the added lines, and the companion is read as far as it reads around it.
      const lines = Math.min(rule.reach.lines, rule.reach.chars) + rule.requires!.within;
      const around = readExtent(companion.reach);
      extents.push({
        chars: Number.POSITIVE_INFINITY,
        above: lines + around.above,
        below: lines + around.below,
        rules: [companion],
      });
    }
  }
  return extents;
}

/**
 * The extents the rules with a reach need: those always read (none of which another covers),
 * and those read only around a keyword of their rule, with those rules.
 */
function ruleExtents(rules: readonly CompiledRule[]): {
  always: Extent[];
  gated: GatedExtent[];
  gatedRules: CompiledRule[];
} {
  const extents = allExtents(rules);
  // Many rules read alike: one of each extent, rules aside, for the covering test.
  const distinct = new Map<string, Extent>();
  // A rule without keywords runs everywhere: its extent cannot wait for one.
  const isGated = (extent: Extent & { readonly rules: readonly CompiledRule[] }) =>
    extent.chars > GATED_CHARS &&
    Math.min(extent.above, extent.below) > GATED_LINES &&
    extent.rules.every((rule) => rule.keywords.length > 0);
  const wide = extents.filter(isGated);
  for (const extent of extents.filter((extent) => !isGated(extent))) {
    const { chars, above, below } = extent;
    distinct.set(`${chars} ${above} ${below}`, { chars, above, below });
  }
  const always = [...distinct.values()];
  const covers = (other: Extent, extent: Extent) =>
    other.chars >= extent.chars && other.above >= extent.above && other.below >= extent.below;
  const covered = (extent: Extent, index: number) =>
    always.some(
      (other, otherIndex) =>
        covers(other, extent) && (!covers(extent, other) || otherIndex < index),
    );
  const gatedRules: CompiledRule[] = [];
  const gated: GatedExtent[] = [];
  for (const extent of wide) {
    if (covered(extent, Number.POSITIVE_INFINITY)) continue;
    const { chars, above, below } = extent;
    for (const rule of extent.rules) {
      gated.push({ chars, above, below, rule: gatedRules.push(rule) - 1 });
    }
  }
  return {
    always: always.filter((extent, index) => !covered(extent, index)),
    gated,
    gatedRules,
  };
}

/**
 * Whole-line stretches of a text to read around `changed` for the rules with a reach:
 * ascending and apart.
 */
export type BoundedContext = (text: string, lines: LineIndex, changed: readonly Span[]) => Span[];

/** One for each list of rules: the staged source and the engine ask for the same. */
const boundedContexts = new WeakMap<readonly CompiledRule[], BoundedContext>();

export function boundedContext(rules: readonly CompiledRule[]): BoundedContext {
  let context = boundedContexts.get(rules);
  if (!context) {
    context = newBoundedContext(rules);
    boundedContexts.set(rules, context);
  }
  return context;
}

function newBoundedContext(rules: readonly CompiledRule[]): BoundedContext {
  const { always, gated, gatedRules } = ruleExtents(rules);
  // Around every change as far as any gated extent reads: where their keywords are looked for.
  const widest: Extent = {
    chars: Math.max(0, ...gated.map((extent) => extent.chars)),
    above: Math.max(0, ...gated.map((extent) => extent.above)),
    below: Math.max(0, ...gated.map((extent) => extent.below)),
  };
  let keywords: Prefilter | undefined;
  return (text, lines, changed) => {
    const around = (extent: Extent) =>
      mergedSpans(
        changed.map((zone) => extentAround(lines, text.length, zone.from, zone.to, extent)),
        1,
      );
    let spans: Span[] = changed.map((zone) => widenToWrappedBlocks(text, zone.from, zone.to));
    for (const extent of always) spans = spans.concat(around(extent));
    if (gated.length > 0) {
      keywords ??= buildKeywordSearch(gatedRules);
      const hits: number[][] = gatedRules.map(() => []);
      for (const { from, to } of around(widest)) {
        for (const { rule, hitStarts } of keywords.candidates(text, from, to)) {
          hits[rule] = hits[rule]!.concat(hitStarts);
        }
      }
      for (const extent of gated) {
        const starts = hits[extent.rule]!;
        if (starts.length === 0) continue;
        // A window is read when a keyword of its rule starts in it.
        const read = around(extent).filter(({ from, to }) =>
          starts.some((start) => start >= from && start < to),
        );
        spans = spans.concat(read);
      }
    }
    return mergedSpans(
      spans.map(({ from, to }) => wholeLines(lines, text.length, from, to)),
      1,
    );
  };
}

export function changeContext(rules: readonly CompiledRule[]): ChangeContext {
  const around = boundedContext(rules);
  const unbounded = rules.filter((rule) => !rule.reach);
  const unboundedGate = keywordTest(unbounded);
  const readsAll = (text: string) =>
    unbounded.length > 0 && (unboundedGate === undefined || unboundedGate.test(text));
  return (text, lines, changed) => {
    if (changed.length === 0) return [];
    if (readsAll(text)) return [{ from: 0, to: text.length }];
    return around(text, lines, changed);
  };
}

/**
 * Spans sorted, those that overlap made one, and those `gap` characters apart or less: with a
 * gap of 1, a span of whole lines ending at a line break and one starting after it.
 */
export function mergedSpans(spans: readonly Span[], gap = 0): Span[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const result: Span[] = [];
  for (const span of sorted) {
    const last = result.at(-1);
    if (last && span.from <= last.to + gap) {
      if (span.to > last.to) result[result.length - 1] = { from: last.from, to: span.to };
    } else {
      result.push(span);
    }
  }
  return result;
}

/** [from, to) widened to whole lines: from a line's start to a line's end, its break left out. */
function wholeLines(lines: LineIndex, length: number, from: number, to: number): Span {
  const next = lines.lineOf(to) + 1;
  return {
    from: lines.lineStart(lines.lineOf(from)),
    to: next < lines.lineCount() ? lines.lineStart(next) - 1 : length,
  };
}
