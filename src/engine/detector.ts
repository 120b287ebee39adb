import type { CompiledAllow, CompiledRule } from "../config/compile-rules.js";
import type { Companion, Encoding, Finding, Fragment } from "../types.js";
import {
  type BoundedContext,
  boundedContext,
  type Extent,
  extentAround,
  mergedSpans,
  readExtent,
} from "./change-context.js";
import { hasValidGithubChecksum } from "./checksum.js";
import { type EncodedSpan, findEncodedText, rawOffsetIn } from "./decode.js";
import { shannonEntropy } from "./entropy.js";
import { fingerprint } from "./fingerprint.js";
import { buildLineIndex, type LineIndex } from "./line-index.js";
import { isElided } from "./placeholder.js";
import {
  buildKeywordSearch,
  buildPrefilter,
  type Candidate,
  MAX_RUN_STRIDE,
  type Prefilter,
} from "./prefilter.js";
import {
  affectedBand,
  type ChangedZone,
  changedZone,
  keptMatches,
  keptSpans,
  mergeHits,
} from "./revision.js";
import { revisionSteps } from "./revision-steps.js";
import { matchRule, type RawMatch, type Span } from "./rule-matcher.js";
import { allowsSecret, hasValidChecksum, ruleTakesSecret } from "./secret-checks.js";
import { widenToWrappedBlocks } from "./wrapped-base64.js";

export interface DetectorOptions {
  /** Allowlist from the user's config, applied to every rule. */
  readonly globalAllow?: CompiledAllow;
  /** How many layers of base64 to look through (0 disables decoding). */
  readonly maxDecodeDepth?: number;
  /**
   * Told of the rules (by id) whose regex ran out of backtracking stack on a fragment's text
   * (or text decoded from it): their keys there may be missed, while the other rules' findings
   * are returned as usual. Without it, such a rule's error is thrown.
   */
  readonly onRuleOverflow?: (fragment: Fragment, ruleIds: readonly string[]) => void;
}

export interface Detector {
  detect(fragment: Fragment): Finding[];
  /**
   * What detect() finds, for a text that may be a revision of one this detector scanned before
   * (`base`, from that scan): then only what lies near the change is matched again. The record
   * returned is the base for the text's own later revisions.
   */
  detectRevision(
    fragment: Fragment,
    base?: ScanRecord,
  ): { findings: Finding[]; record: ScanRecord };
}

/** What one scan found before any check: enough to scan a revision of the text by its change. */
export interface ScanRecord {
  readonly text: string;
  readonly path: string;
  readonly candidates: readonly Candidate[];
  /** Raw matches by rule index, ascending by start. */
  readonly matches: ReadonlyMap<number, readonly RawMatch[]>;
  readonly spans: readonly EncodedSpan[];
}

/** Keyword hits, raw matches and encoded runs of a text: a scan before any check. */
type Matched = Pick<ScanRecord, "candidates" | "matches" | "spans">;

/** How much of the line before an encoded run is read with its decoded text, for its name. */
const NAME_BEFORE_RUN = 120;

/**
 * A text with context lines longer than this is searched only as far around its other lines
 * as the rules read (see matchWhole); a shorter one costs less searched whole.
 */
const TRIMMED_FROM = 64 * 1024;

/** A change touching more than this share of a text is scanned as a new text. */
const MOST_OF_THE_TEXT = 0.5;

/** A rule hit inside one text, before positions are mapped to the fragment's lines. */
interface Hit {
  readonly rule: CompiledRule;
  readonly secret: string;
  readonly match: string;
  /** Offsets of the secret in the scanned text. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly metadata: Record<string, string>;
  readonly entropy: number;
  /** The nearby hit of the rule named in `requires`. */
  readonly companion?: Hit;
  /** Found in decoded text, encoded so; start and end are those of the encoded run. */
  readonly encoded?: Encoding;
}

/** Whether an allowlist covers a secret by the line it stands on or the commit it came in. */
function allowsPlace(allow: CompiledAllow, lineText: string, fragment: Fragment): boolean {
  if (allow.lines.some((regex) => regex.test(lineText))) return true;
  const commit = fragment.git?.commit;
  if (commit && allow.commits.some((allowed) => commit.startsWith(allowed))) return true;
  return false;
}

/** Whether `error` is V8's "Maximum call stack size exceeded", which a regex's backtracking raises. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * The path globs are matched against: leading `./` and `../` steps are dropped, so a rule for
 * `**\/*.tf` applies to `../infra/main.tf` as it does to `infra/main.tf`.
 */
function matchPath(path: string): string {
  return path.replace(/^(?:\.\.?\/)+/, "");
}

export function createDetector(
  rules: readonly CompiledRule[],
  options: DetectorOptions = {},
): Detector {
  const prefilter = buildPrefilter(rules);
  const keywordLength = rules.map((rule) => Math.max(0, ...rule.keywords.map((k) => k.length)));
  const longestKeyword = Math.max(0, ...keywordLength);
  const globalAllow = options.globalAllow;
  /** Each rule's place in rule order, for choosing between two rules' hits. */
  const ruleOrder = new Map(rules.map((rule, index) => [rule, index]));
  const companionIds = new Set(
    rules.flatMap((rule) => (rule.requires ? [rule.requires.rule] : [])),
  );
  const maxDecodeDepth = options.maxDecodeDepth ?? 1;
  const onRuleOverflow = options.onRuleOverflow;
  /** The rules that ran out of regex stack in the detect call under way. */
  const overflowed = new Set<string>();
  /** How far around the lines a fragment reports each rule with a reach reads. */
  const readExtents = rules.map((rule) => (rule.reach ? readExtent(rule.reach) : undefined));
  /** Around lines a fragment reports, where a keyword of a rule with a reach can matter. */
  let aroundReported: BoundedContext | undefined;
  /** The rules with no reach, by index: their keywords count anywhere in a text. */
  const unboundedRules = rules.flatMap((rule, index) => (rule.reach ? [] : [index]));
  let unboundedPrefilter: Prefilter | undefined;

  // Which rules apply to a path, by rule index (0 not yet known, 1 yes, 2 no): a history
  // scan meets the same paths thousands of times, and path globs are slow to test.
  const applicable = new Map<string, Uint8Array>();
  function ruleApplies(index: number, path: string): boolean {
    let known = applicable.get(path);
    if (!known) {
      if (applicable.size >= 4096) applicable.clear();
      known = new Uint8Array(rules.length);
      applicable.set(path, known);
    }
    if (known[index] === 0) {
      const rule = rules[index]!;
      const applies =
        (!rule.includePaths || rule.includePaths(path)) &&
        !rule.excludePaths?.(path) &&
        !rule.allow.paths?.(path);
      known[index] = applies ? 1 : 2;
    }
    return known[index] === 1;
  }

  /** A match as a hit, unless its secret fails the rule's checks or an allowlist covers it. */
  function checkMatch(
    found: RawMatch,
    text: string,
    lines: LineIndex,
    fragment: Fragment,
  ): Hit | undefined {
    const { rule, secret, start, end } = found;
    const entropy = shannonEntropy(secret);
    if (!ruleTakesSecret(rule, secret, entropy)) return undefined;
    if (rule.placeholderCheck && isElided(text, start, end) && !hasValidChecksum(rule, secret)) {
      return undefined;
    }
    const line = lines.lineOf(start);
    const lineText = lines.lineText(line);
    if (allowsPlace(rule.allow, lineText, fragment)) return undefined;
    if (
      globalAllow &&
      (allowsSecret(globalAllow, secret) || allowsPlace(globalAllow, lineText, fragment))
    ) {
      return undefined;
    }
    return {
      rule,
      secret,
      match: found.match,
      start,
      end,
      line,
      metadata: found.metadata,
      entropy,
    };
  }

  /** Keeps hits whose rule needs a companion only when one is near, and attaches it. */
  function pairCompanions(hits: Hit[]): Map<Hit, Hit> {
    const companions = new Map<Hit, Hit>();
    for (const hit of hits) {
      const requires = hit.rule.requires;
      if (!requires) continue;
      let best: Hit | undefined;
      for (const other of hits) {
        if (other.rule.id !== requires.rule) continue;
        const distance = Math.abs(other.line - hit.line);
        if (distance <= requires.within && (!best || distance < Math.abs(best.line - hit.line)))
          best = other;
      }
      if (best) companions.set(hit, best);
    }
    return companions;
  }

  /**
   * One finding per key per place: where hits overlap, only the most specific rule's stand
   * (see specificity). A generic rule steps aside where a provider rule explains the same text;
   * a rule that finds a value by the place it stands (a curl header, a Kubernetes Secret's
   * value) where a rule that knows the value's own format (a JWT, a password in a URL, encoded
   * or decoded) reports there; the catch-all generic-secret where any of them does.
   */
  function dropShadowedGenericHits(hits: Hit[]): Hit[] {
    if (hits.every((hit) => !hit.rule.tags.includes("generic"))) return hits;
    const others = overlappingHits(hits);
    return hits.filter((hit, index) => {
      const rank = specificity(hit.rule);
      return !others[index]!.some((other) => specificity(other.rule) > rank);
    });
  }

  /**
   * Every rule's raw matches in a text, by rule index. For a revision of `change.base.text`,
   * a rule with a reach keeps the old matches away from the changed zone, moved, and matches
   * again only near it; rules that reach anywhere run on the whole text.
   */
  function matchText(
    text: string,
    path: string,
    lines: LineIndex,
    candidates: readonly Candidate[],
    change?: { readonly base: ScanRecord; readonly zone: ChangedZone },
  ): Map<number, RawMatch[]> {
    const matches = new Map<number, RawMatch[]>();
    for (const candidate of candidates) {
      const rule = rules[candidate.rule]!;
      if (!ruleApplies(candidate.rule, path)) continue;
      let found: RawMatch[] = [];
      try {
        if (change && rule.reach) {
          const band = affectedBand(change.zone, rule.reach, text);
          const old = change.base.matches.get(candidate.rule) ?? [];
          const { before, after } = keptMatches(old, change.zone, band);
          found = before;
          matchRule(rule, keywordLength[candidate.rule]!, text, candidate, lines, found, band);
          found = withoutOverlaps(found.concat(after));
        } else {
          matchRule(rule, keywordLength[candidate.rule]!, text, candidate, lines, found);
        }
      } catch (error) {
        // V8's backtracking stack has a fixed limit: an unbounded loop over a few MB (a PEM
        // header before megabytes of base64) exceeds it. One rule failing on one file must not
        // end the scan and hide every other finding; the scan says it is incomplete instead.
        if (!onRuleOverflow || !isStackOverflow(error)) throw error;
        overflowed.add(rule.id);
        found = [];
      }
      if (found.length > 0) matches.set(candidate.rule, found);
    }
    return matches;
  }

  /** The hits of raw matches and encoded runs, after every check. */
  function hitsOf(
    text: string,
    lines: LineIndex,
    fragment: Fragment,
    path: string,
    depth: number,
    matches: ReadonlyMap<number, readonly RawMatch[]>,
    spans: readonly EncodedSpan[],
  ): Hit[] {
    let hits: Hit[] = [];
    for (const list of matches.values()) {
      for (const match of list) {
        const hit = checkMatch(match, text, lines, fragment);
        if (hit) hits.push(hit);
      }
    }
    if (hits.some((hit) => hit.rule.requires)) {
      const companions = pairCompanions(hits);
      hits = hits
        .filter((hit) => !hit.rule.requires || companions.has(hit))
        .map((hit) => {
          const companion = companions.get(hit);
          return companion ? { ...hit, companion } : hit;
        });
    }
    // Decoded hits join before generic rules step aside: a generic rule that matched the encoded
    // text is explained by the provider key found inside it.
    if (depth < maxDecodeDepth) {
      for (const decoded of scanEncoded(text, spans, lines, fragment, path, depth)) {
        hits = withDecodedHit(hits, decoded);
      }
    }
    return withoutRepeats(dropShadowedGenericHits(hits));
  }

  /**
   * One hit per key where two rules of one file report it at one place: where they report the
   * same secret (a Together key named TOGETHER_API_KEY next to Together's API host), the first in
   * rule order; where one reports part of what a rule of the same provider reports whole (the
   * secret half of an LLMOS key whose `:` is written `%3A`, read whole once decoded), the whole.
   * A rule of the user's own beside a built-in one is reported on its own, as it was asked for.
   */
  function withoutRepeats(hits: Hit[]): Hit[] {
    if (hits.length < 2) return hits;
    // Both cases below need the two hits to overlap (a hit is never empty).
    const others = overlappingHits(hits);
    return hits.filter(
      (hit, index) =>
        !others[index]!.some(
          (other) =>
            other.rule.source.file === hit.rule.source.file &&
            ((other.secret === hit.secret &&
              other.start < hit.end &&
              hit.start < other.end &&
              ruleOrder.get(other.rule)! < ruleOrder.get(hit.rule)!) ||
              (other.rule.provider === hit.rule.provider &&
                other.start <= hit.start &&
                hit.end <= other.end &&
                other.end - other.start > hit.end - hit.start &&
                other.secret.length > hit.secret.length)),
        ),
    );
  }

  /**
   * What a scan of the whole text finds before any check. With context lines, only what can
   * reach the other lines is looked for: a file read whole around a few added lines costs
   * little more than its keyword pass.
   */
  function matchWhole(
    text: string,
    path: string,
    lines: LineIndex,
    decode: boolean,
    context?: {
      readonly fragment: Fragment;
      readonly isContext: (offset: number) => boolean;
      readonly isContextLine: (line: number) => boolean;
    },
  ): Matched {
    const isContext = context?.isContext;
    const reported =
      context &&
      text.length > TRIMMED_FROM &&
      reportedRunsOf(context.fragment, lines, text.length, context.isContextLine);
    let candidates = reported ? candidatesNear(text, lines, reported) : prefilter.candidates(text);
    if (isContext) {
      // Where each rule's keywords may be: within its read extent of a reported run.
      const near = new Map<number, Span[]>();
      const isNear = (offset: number, rule: number) => {
        const extent = readExtents[rule];
        if (!reported || !extent) return true;
        let spans = near.get(rule);
        if (!spans) {
          spans = nearRuns(reported, extent, lines, text.length);
          near.set(rule, spans);
        }
        return isInside(offset, spans);
      };
      candidates = withoutContextHits(candidates, isContext, isNear);
    }
    const matches = matchText(text, path, lines, candidates);
    let spans: EncodedSpan[] = [];
    if (decode && reported) {
      // Runs hold no line break, but wrapped base64 is one run over lines: read whole.
      const blocks = reported.map(({ from, to }) => widenToWrappedBlocks(text, from, to));
      for (const { from, to } of mergedSpans(blocks))
        spans.push(...findEncodedText(text, from, to));
    } else if (decode) {
      spans = findEncodedText(text);
    }
    // A run wholly on context lines can only yield a hit there. Base64 wrapped over lines is
    // one run across them: its last lines may be added under a first line left as it was.
    if (isContext) {
      spans = spans.filter((span) => {
        const last = lines.lineOf(Math.max(span.start, span.end - 1));
        for (let line = lines.lineOf(span.start); line <= last; line++) {
          if (!isContext(lines.lineStart(line))) return true;
        }
        return false;
      });
    }
    return { candidates, matches, spans };
  }

  /**
   * The keyword hits of a text of which only `reported` runs are reported: those of the rules
   * with a reach as far around them as any reads, those of the rules without one anywhere.
   */
  function candidatesNear(text: string, lines: LineIndex, reported: readonly Span[]): Candidate[] {
    const margin = 2 * MAX_RUN_STRIDE + longestKeyword;
    aroundReported ??= boundedContext(rules);
    const regions = mergedSpans(
      aroundReported(text, lines, reported).map(({ from, to }) => ({
        from: Math.max(0, from - margin),
        to: Math.min(text.length, to + margin),
      })),
    );
    const lists = regions.map(({ from, to }) =>
      prefilter.candidates(text, from, to).filter((candidate) => rules[candidate.rule]!.reach),
    );
    if (unboundedRules.length > 0) {
      unboundedPrefilter ??= buildKeywordSearch(unboundedRules.map((index) => rules[index]!));
      lists.push(
        unboundedPrefilter.candidates(text).map((candidate) => ({
          rule: unboundedRules[candidate.rule]!,
          hitStarts: candidate.hitStarts,
          hitLeads: candidate.hitLeads,
        })),
      );
    }
    return mergedCandidates(lists);
  }

  /**
   * The keyword hits a rule can use: for a rule whose match stays on one line, none on a
   * context line, where whatever it finds would not be reported; for another with a reach,
   * those near enough to the other lines (`isNear`) to be in a match that reaches them.
   */
  function withoutContextHits(
    candidates: readonly Candidate[],
    isContext: (offset: number) => boolean,
    isNear: (offset: number, rule: number) => boolean,
  ): Candidate[] {
    const kept: Candidate[] = [];
    for (const candidate of candidates) {
      const { hitStarts, hitLeads } = candidate;
      const rule = rules[candidate.rule]!;
      // A companion (another rule `requires` it) counts where it stands, context or not; a
      // pattern with no bound may reach the other lines from anywhere.
      if (!rule.reach || companionIds.has(rule.id) || hitStarts.length === 0) {
        kept.push(candidate);
        continue;
      }
      const keep =
        rule.reach.lines === 0
          ? hitStarts.map((start) => !isContext(start))
          : hitStarts.map((start) => isNear(start, candidate.rule));
      if (!keep.includes(true)) continue;
      kept.push({
        rule: candidate.rule,
        hitStarts: hitStarts.filter((_, index) => keep[index]),
        ...(hitLeads ? { hitLeads: hitLeads.filter((_, index) => keep[index]) } : {}),
      });
    }
    return kept;
  }

  /**
   * What a scan of a revision of `base.text` finds before any check: keyword hits and encoded
   * runs of the old text outside the changed zone, and of the zone read again.
   */
  function matchChange(
    text: string,
    path: string,
    lines: LineIndex,
    base: ScanRecord,
    zone: ChangedZone,
  ): Matched {
    const fresh = prefilter.candidates(
      text,
      Math.max(0, zone.start - longestKeyword + 1),
      zone.end,
    );
    const candidates = mergeHits(base.candidates, fresh, zone, longestKeyword);
    const matches = matchText(text, path, lines, candidates, { base, zone });
    if (maxDecodeDepth === 0) return { candidates, matches, spans: [] };
    // Base64 wrapped over lines is decoded as one: the blocks the change touches are read whole.
    const { from, to } = widenToWrappedBlocks(text, zone.start, zone.end);
    const encodedZone = { start: from, end: to, oldEnd: to - zone.shift, shift: zone.shift };
    const { before, after } = keptSpans(base.spans, encodedZone);
    const spans = [...before, ...findEncodedText(text, from, to), ...after];
    return { candidates, matches, spans };
  }

  /**
   * What a revision of `base.text` finds before any check, from what the base found: by its
   * one changed stretch, or by a chain of steps when it was edited in several places (see
   * revision-steps.ts). Undefined when most of the text changed: a whole scan costs less.
   */
  function matchRevision(
    text: string,
    path: string,
    lines: LineIndex,
    base: ScanRecord,
  ): Matched | undefined {
    const isSmall = (zone: ChangedZone, of: string) =>
      zone.end - zone.start <= of.length * MOST_OF_THE_TEXT;
    const zone = changedZone(base.text, text);
    if (isSmall(zone, text)) return matchChange(text, path, lines, base, zone);
    const steps = revisionSteps(base.text, text, zone, MOST_OF_THE_TEXT);
    if (!steps) return undefined;
    let record = base;
    let matched: Matched | undefined;
    for (const [i, step] of steps.entries()) {
      const stepZone = changedZone(record.text, step.text, step.known);
      if (!isSmall(stepZone, step.text)) return undefined;
      // The last step is the text itself (comparing texts would read them through).
      const stepLines = i === steps.length - 1 ? lines : buildLineIndex(step.text);
      matched = matchChange(step.text, path, stepLines, record, stepZone);
      // Written out, not spread: one object shape for every record the hot paths read.
      const { candidates, matches, spans } = matched;
      record = { text: step.text, path, candidates, matches, spans };
    }
    return matched;
  }

  /** Scans a text with no earlier revision: decoded text, and fragments outside history. */
  function scanText(
    text: string,
    fragment: Fragment,
    path: string,
    depth: number,
    lines = buildLineIndex(text),
  ): Hit[] {
    // Context lines (a diff's unchanged lines) serve only rules that read across lines.
    const isContextLine = depth === 0 ? contextLineTest(fragment) : undefined;
    const context = isContextLine && {
      fragment,
      isContext: (offset: number) => isContextLine(lines.lineOf(offset)),
      isContextLine,
    };
    const { matches, spans } = matchWhole(
      text,
      path,
      lines,
      depth < maxDecodeDepth,
      context || undefined,
    );
    return hitsOf(text, lines, fragment, path, depth, matches, spans);
  }

  /** Scans a text, by its change from `base` when that is small, and keeps the record. */
  function scanRecorded(
    text: string,
    fragment: Fragment,
    path: string,
    lines: LineIndex,
    base: ScanRecord | undefined,
  ): { hits: Hit[]; record: ScanRecord } {
    const { candidates, matches, spans } =
      (base && base.path === path && matchRevision(text, path, lines, base)) ||
      matchWhole(text, path, lines, maxDecodeDepth > 0);
    return {
      hits: hitsOf(text, lines, fragment, path, 0, matches, spans),
      record: { text, path, candidates, matches, spans },
    };
  }

  /**
   * Scans decoded runs. A hit in base64 takes the place of the whole run; one in escaped text,
   * the place of its own raw characters.
   */
  function scanEncoded(
    text: string,
    spans: readonly EncodedSpan[],
    lines: LineIndex,
    fragment: Fragment,
    path: string,
    depth: number,
  ): Hit[] {
    const found: Hit[] = [];
    for (const span of spans) {
      // The decoded text is read after what stands before the run on its line, so a rule sees
      // the name it is the value of (`TOGETHER_API_KEY: <base64>` in a Kubernetes Secret).
      const lineStart = lines.lineStart(lines.lineOf(span.start));
      const before = text.slice(Math.max(lineStart, span.start - NAME_BEFORE_RUN), span.start);
      for (const inner of scanText(before + span.decoded, fragment, path, depth + 1)) {
        // A secret in what stands before the run is the raw text's to find.
        if (inner.start < before.length) continue;
        const [start, end] =
          span.encoding === "base64"
            ? [span.start, span.end]
            : [
                span.start + rawOffsetIn(text, span, inner.start - before.length),
                span.start + rawOffsetIn(text, span, inner.end - before.length),
              ];
        found.push({
          ...inner,
          start,
          end,
          line: lines.lineOf(start),
          encoded: span.encoding,
        });
      }
    }
    return found;
  }

  return {
    detect(fragment: Fragment): Finding[] {
      const path = matchPath(fragment.globPath ?? fragment.path);
      if (globalAllow?.paths?.(path)) return [];
      // One line index for the scan and the findings' positions.
      const lines = buildLineIndex(fragment.text);
      overflowed.clear();
      const hits = scanText(fragment.text, fragment, path, 0, lines);
      if (overflowed.size > 0) onRuleOverflow?.(fragment, [...overflowed]);
      return findingsOf(fragment, lines, hits);
    },
    detectRevision(fragment: Fragment, base?: ScanRecord) {
      const path = matchPath(fragment.globPath ?? fragment.path);
      if (globalAllow?.paths?.(path)) {
        // Its revisions at the same path are allowed too: none will read this record.
        const record = { text: fragment.text, path, candidates: [], matches: new Map(), spans: [] };
        return { findings: [], record };
      }
      const lines = buildLineIndex(fragment.text);
      overflowed.clear();
      const { hits, record } = scanRecorded(fragment.text, fragment, path, lines, base);
      if (overflowed.size > 0) onRuleOverflow?.(fragment, [...overflowed]);
      return { findings: findingsOf(fragment, lines, hits), record };
    },
  };

  function findingsOf(fragment: Fragment, lines: LineIndex, hits: readonly Hit[]): Finding[] {
    if (hits.length === 0) return [];
    const lineNumber = (index: number) =>
      fragment.lineNumbers?.[index] ?? fragment.startLine + index;
    const findings: Finding[] = [];
    const seen = new Set<string>();
    // A piece of a long line starts past its first column: positions on it are moved along.
    const shift = (fragment.startColumn ?? 1) - 1;
    const columnOf = (offset: number, line: number) =>
      offset - lines.lineStart(line) + 1 + (line === 0 ? shift : 0);
    const isContextLine = contextLineTest(fragment);
    const onContextOnly = (first: number, last: number) => {
      for (let index = first; index <= last; index++) {
        if (!isContextLine?.(index)) return false;
      }
      return true;
    };
    for (const hit of hits) {
      if (!hit.rule.report) continue;
      const startLine = lines.lineOf(hit.start);
      const endLine = lines.lineOf(Math.max(hit.start, hit.end - 1));
      // Context lines helped the rules read the added ones; a secret wholly on them is not new
      // (one that reaches an added line is: a private key's new body between its old markers).
      if (isContextLine && onContextOnly(startLine, endLine)) continue;
      const key = `${hit.rule.id}\0${hit.start}\0${hit.secret}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const companion: Companion | undefined = hit.companion && {
        ruleId: hit.companion.rule.id,
        secret: hit.companion.secret,
        line: lineNumber(hit.companion.line),
      };
      findings.push({
        ruleId: hit.rule.id,
        title: hit.rule.title,
        provider: hit.rule.provider,
        severity: hit.rule.severity,
        tags: hit.rule.tags,
        path: fragment.path,
        line: lineNumber(startLine),
        column: columnOf(hit.start, startLine),
        endLine: lineNumber(endLine),
        endColumn: columnOf(hit.end, endLine),
        secret: hit.secret,
        match: hit.match,
        lineText: lines.lineText(startLine),
        ...(startLine === 0 && shift > 0 ? { lineTextColumn: shift + 1 } : {}),
        ...(endLine > startLine ? { endLineText: lines.lineText(endLine) } : {}),
        // The line above, for inline allow comments there: only the file's own line above,
        // not a line of another stretch of a diff that the fragment joins on.
        ...(startLine > 0 && lineNumber(startLine - 1) === lineNumber(startLine) - 1
          ? { lineAbove: lines.lineText(startLine - 1) }
          : {}),
        metadata: hit.metadata,
        entropy: Math.round(hit.entropy * 1000) / 1000,
        fingerprint: fingerprint(hit.rule.id, hit.secret),
        ...(hit.encoded ? { encoding: hit.encoded } : {}),
        ...(hit.rule.checksum ? { checksumValid: hasValidGithubChecksum(hit.secret) } : {}),
        ...(companion ? { companion } : {}),
        ...(fragment.git ? { git: fragment.git } : {}),
        ...(fragment.blob ? { blob: fragment.blob.sha } : {}),
      });
    }
    return findings;
  }
}

/** Whether a line of a fragment's text (a 0-based index) is one of its context-only lines. */
function contextLineTest(fragment: Fragment): ((line: number) => boolean) | undefined {
  const { contextOnly, reportedLines, lineNumbers, startLine } = fragment;
  if (reportedLines)
    return (index) => !reportedLines.has(lineNumbers?.[index] ?? startLine + index);
  if (!contextOnly) return undefined;
  return (index) => contextOnly.has(lineNumbers?.[index] ?? startLine + index);
}

/**
 * The runs of whole lines of a fragment's text that are not context, as [from, to) offsets,
 * ascending: from its reported lines when it names them (found by line number, not by a pass
 * over every line), else as reportedRuns finds them.
 */
function reportedRunsOf(
  fragment: Fragment,
  lines: LineIndex,
  length: number,
  isContextLine: (line: number) => boolean,
): Span[] | undefined {
  const { reportedLines, lineNumbers, startLine } = fragment;
  if (!reportedLines) return reportedRuns(lines, length, isContextLine);
  const count = lines.lineCount();
  // Each reported line's index in the text: its line number's place in lineNumbers.
  const indexOf = (line: number) => {
    if (!lineNumbers) return line - startLine;
    let low = 0;
    let high = lineNumbers.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (lineNumbers[mid]! < line) low = mid + 1;
      else high = mid;
    }
    return lineNumbers[low] === line ? low : -1;
  };
  const indices = [...reportedLines]
    .map(indexOf)
    .filter((index) => index >= 0 && index < count)
    .sort((a, b) => a - b);
  const runs: Span[] = [];
  for (const index of indices) {
    const start = lines.lineStart(index);
    const end = index + 1 < count ? lines.lineStart(index + 1) - 1 : length;
    const last = runs.at(-1);
    if (last && last.to + 1 >= start) runs[runs.length - 1] = { from: last.from, to: end };
    else runs.push({ from: start, to: end });
  }
  return runs;
}

/**
 * The runs of whole lines that are not context, as [from, to) offsets of the text, ascending;
 * undefined when every line is (nothing to trim: most of a diff's lines are added).
 */
function reportedRuns(
  lines: LineIndex,
  length: number,
  isContextLine: (line: number) => boolean,
): Span[] | undefined {
  const runs: Span[] = [];
  const count = lines.lineCount();
  let contextLines = 0;
  for (let line = 0; line < count; line++) {
    if (isContextLine(line)) {
      contextLines++;
      continue;
    }
    const start = lines.lineStart(line);
    const end = line + 1 < count ? lines.lineStart(line + 1) - 1 : length;
    const last = runs.at(-1);
    if (last && last.to + 1 === start) runs[runs.length - 1] = { from: last.from, to: end };
    else runs.push({ from: start, to: end });
  }
  // Mostly reported lines: looking for the way to each costs more than it saves.
  return contextLines > count / 2 ? runs : undefined;
}

/**
 * Where a keyword of a rule may be that reads `extent` around what it matches: that far around
 * the reported runs, a prefilter stride or two more (in a run of one character it keeps a hit
 * every stride, see hitsNear). Ascending and apart.
 */
function nearRuns(runs: readonly Span[], extent: Extent, lines: LineIndex, length: number): Span[] {
  const margin = 2 * MAX_RUN_STRIDE;
  return mergedSpans(
    runs.map(({ from, to }) => {
      const around = extentAround(lines, length, from, to, extent);
      return { from: around.from - margin, to: around.to + margin };
    }),
  );
}

/** Whether `offset` lies in one of these spans (ascending and apart). */
function isInside(offset: number, spans: readonly Span[]): boolean {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (spans[mid]!.from <= offset) low = mid + 1;
    else high = mid;
  }
  const span = spans[low - 1];
  return span !== undefined && offset < span.to;
}

/**
 * Lists of candidates of texts in ascending order (stretches of one text, apart) as one, in
 * rule order: each rule's hits in the order of the lists.
 */
function mergedCandidates(lists: readonly (readonly Candidate[])[]): Candidate[] {
  if (lists.length === 1) return [...lists[0]!];
  const byRule = new Map<number, Candidate>();
  for (const list of lists) {
    for (const candidate of list) {
      const known = byRule.get(candidate.rule);
      // A rule has keyword leads or not, in every list.
      byRule.set(
        candidate.rule,
        known
          ? {
              rule: candidate.rule,
              hitStarts: known.hitStarts.concat(candidate.hitStarts),
              hitLeads:
                known.hitLeads && candidate.hitLeads && known.hitLeads.concat(candidate.hitLeads),
            }
          : candidate,
      );
    }
  }
  return [...byRule.values()].sort((a, b) => a.rule - b.rule);
}

/**
 * `hits` with a hit from decoded text, where the same rule may have matched the encoded text
 * too. When the decoded match spans all of that one (a key whose `==` is written `%3D%3D`),
 * the decoded secret is what the service takes: it replaces it. When it does not (a password
 * whose `%40` decodes to an `@` that ends the rule's match early), decoding broke the text's
 * syntax, and the encoded match stands.
 */
function withDecodedHit(hits: Hit[], decoded: Hit): Hit[] {
  const same = hits.filter(
    (hit) => hit.rule === decoded.rule && hit.start < decoded.end && decoded.start < hit.end,
  );
  if (same.length === 0) return [...hits, decoded];
  // The run held the secret as it is (escapes elsewhere in it): the raw match says it plainly.
  if (same.some((hit) => hit.secret === decoded.secret)) return hits;
  if (!same.every((hit) => decoded.start <= hit.start && hit.end <= decoded.end)) return hits;
  return [...hits.filter((hit) => !same.includes(hit)), decoded];
}

/**
 * Drops a match that starts inside the one before it, as a search of the whole text would never
 * find it: the old text's matches and the changed part's can meet at the band's edges.
 */
function withoutOverlaps(matches: RawMatch[]): RawMatch[] {
  let end = -1;
  return matches.filter((match) => {
    if (match.matchStart < end) return false;
    end = match.matchStart + match.match.length;
    return true;
  });
}

/**
 * For each hit, the other hits whose span overlaps its own. A file with thousands of keys has
 * thousands of hits, and comparing each with all (as the checks above once did) cost seconds:
 * 10,000 tokens in a 500 KB file took 10 s. Sorted by start, each hit meets only those still
 * open where it starts.
 */
function overlappingHits(hits: readonly Hit[]): Hit[][] {
  const others: Hit[][] = hits.map(() => []);
  const order = hits.map((_, index) => index).sort((a, b) => hits[a]!.start - hits[b]!.start);
  let open: number[] = [];
  for (const index of order) {
    const hit = hits[index]!;
    open = open.filter((other) => hits[other]!.end > hit.start);
    for (const other of open) {
      // Started no later and still open: they overlap, unless this hit is empty at its start.
      if (hits[other]!.start < hit.end) {
        others[index]!.push(hits[other]!);
        others[other]!.push(hit);
      }
    }
    open.push(index);
  }
  return others;
}

/**
 * How specific a rule is, for choosing between rules reporting at one place: a provider's
 * rule (3) over a generic rule that knows a format (2), over one tagged `by-place` that reads a
 * value by where it stands (1), over the `catch-all` (0).
 */
function specificity(rule: CompiledRule): number {
  const { tags } = rule;
  if (!tags.includes("generic")) return 3;
  if (tags.includes("catch-all")) return 0;
  return tags.includes("by-place") ? 1 : 2;
}
