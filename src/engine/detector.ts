import type { CompiledAllow, CompiledRule } from "../config/compile-rules.js";
import type { Companion, Finding, Fragment } from "../types.js";
import { hasValidGithubChecksum } from "./checksum.js";
import { findEncodedText } from "./decode.js";
import { shannonEntropy } from "./entropy.js";
import { fingerprint } from "./fingerprint.js";
import { buildLineIndex, type LineIndex } from "./line-index.js";
import { isElided, isPlaceholderSecret } from "./placeholder.js";
import { buildPrefilter } from "./prefilter.js";
import { keywordWindows, type Windows } from "./windows.js";

export interface DetectorOptions {
  /** Allowlist from the user's config, applied to every rule. */
  readonly globalAllow?: CompiledAllow;
  /** How many layers of base64 to look through (0 disables decoding). */
  readonly maxDecodeDepth?: number;
}

export interface Detector {
  detect(fragment: Fragment): Finding[];
}

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
  /** Found in decoded base64; start and end are those of the encoded run. */
  readonly encoded?: boolean;
}

function isAllowed(
  allow: CompiledAllow,
  secret: string,
  lineText: string,
  fragment: Fragment,
): boolean {
  if (allow.secrets.some((regex) => regex.test(secret))) return true;
  if (allow.lines.some((regex) => regex.test(lineText))) return true;
  if (allow.stopwords.length > 0) {
    const lower = secret.toLowerCase();
    if (allow.stopwords.some((word) => lower.includes(word))) return true;
  }
  const commit = fragment.git?.commit;
  if (commit && allow.commits.some((allowed) => commit.startsWith(allowed))) return true;
  return false;
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
  const longestKeyword = rules.map((rule) => Math.max(0, ...rule.keywords.map((k) => k.length)));
  const globalAllow = options.globalAllow;
  const maxDecodeDepth = options.maxDecodeDepth ?? 1;

  function ruleApplies(rule: CompiledRule, path: string): boolean {
    if (rule.includePaths && !rule.includePaths(path)) return false;
    if (rule.excludePaths?.(path)) return false;
    if (rule.allow.paths?.(path)) return false;
    return true;
  }

  /** Runs a rule's regex over `text`, or only over its keyword windows when it has them. */
  function matchRule(
    rule: CompiledRule,
    text: string,
    windows: Windows | undefined,
    lines: LineIndex,
    fragment: Fragment,
    hits: Hit[],
  ) {
    if (windows === undefined) {
      matchIn(rule, text, 0, text.length, 0, text.length, lines, fragment, hits);
      return;
    }
    for (let i = 0; i < windows.length; i += 4) {
      matchIn(
        rule,
        text,
        windows[i]!,
        windows[i + 1]!,
        windows[i + 2]!,
        windows[i + 3]!,
        lines,
        fragment,
        hits,
      );
    }
  }

  /**
   * Matches in text[from, to], keeping matches within [acceptFrom, acceptTo]: the ones the cut
   * cannot have changed (see windows.ts). Offsets in hits are those of the whole text.
   */
  function matchIn(
    rule: CompiledRule,
    text: string,
    from: number,
    to: number,
    acceptFrom: number,
    acceptTo: number,
    lines: LineIndex,
    fragment: Fragment,
    hits: Hit[],
  ) {
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
      const groupName = rule.secretGroup;
      const secret = groupName ? match.groups?.[groupName] : match[0];
      const span = groupName ? match.indices?.groups?.[groupName] : match.indices?.[0];
      if (secret === undefined || span === undefined || secret.length === 0) continue;
      const start = from + span[0];
      const end = from + span[1];
      const entropy = shannonEntropy(secret);
      if (rule.entropy !== undefined && entropy < rule.entropy) continue;
      if (rule.placeholderCheck && (isPlaceholderSecret(secret) || isElided(text, start, end)))
        continue;
      const line = lines.lineOf(start);
      const lineText = lines.lineText(line);
      if (isAllowed(rule.allow, secret, lineText, fragment)) continue;
      if (globalAllow && isAllowed(globalAllow, secret, lineText, fragment)) continue;
      const metadata: Record<string, string> = {};
      for (const [name, value] of Object.entries(match.groups ?? {})) {
        if (name !== groupName && value !== undefined) metadata[name] = value;
      }
      hits.push({ rule, secret, match: match[0], start, end, line, metadata, entropy });
    }
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

  /** Generic rules step aside where a provider rule already explains the same text. */
  function dropShadowedGenericHits(hits: Hit[]): Hit[] {
    const specific = hits.filter((hit) => !hit.rule.tags.includes("generic"));
    if (specific.length === hits.length) return hits;
    return hits.filter(
      (hit) =>
        !hit.rule.tags.includes("generic") ||
        !specific.some((other) => other.start < hit.end && hit.start < other.end),
    );
  }

  function scanText(text: string, fragment: Fragment, path: string, depth: number): Hit[] {
    const lines = buildLineIndex(text);
    let hits: Hit[] = [];
    for (const { rule: index, hitStarts } of prefilter.candidates(text)) {
      const rule = rules[index]!;
      if (!ruleApplies(rule, path)) continue;
      // The prefilter reports hit starts only for rules with a reach.
      const windows =
        hitStarts && rule.reach
          ? keywordWindows(hitStarts, longestKeyword[index]!, rule.reach, lines, text.length)
          : undefined;
      matchRule(rule, text, windows, lines, fragment, hits);
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
    if (depth < maxDecodeDepth) hits.push(...scanEncoded(text, lines, fragment, path, depth));
    return dropShadowedGenericHits(hits);
  }

  /** Scans decoded base64 runs; hits take the position of the encoded text they came from. */
  function scanEncoded(
    text: string,
    lines: LineIndex,
    fragment: Fragment,
    path: string,
    depth: number,
  ): Hit[] {
    const found: Hit[] = [];
    for (const span of findEncodedText(text)) {
      for (const inner of scanText(span.decoded, fragment, path, depth + 1)) {
        found.push({
          ...inner,
          start: span.start,
          end: span.end,
          line: lines.lineOf(span.start),
          encoded: true,
        });
      }
    }
    return found;
  }

  return {
    detect(fragment: Fragment): Finding[] {
      const path = matchPath(fragment.path);
      if (globalAllow?.paths?.(path)) return [];
      const hits = scanText(fragment.text, fragment, path, 0);
      if (hits.length === 0) return [];
      const lines = buildLineIndex(fragment.text);
      const lineNumber = (index: number) =>
        fragment.lineNumbers?.[index] ?? fragment.startLine + index;
      const findings: Finding[] = [];
      const seen = new Set<string>();
      for (const hit of hits) {
        if (!hit.rule.report) continue;
        const key = `${hit.rule.id}\0${hit.start}\0${hit.secret}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const startLine = lines.lineOf(hit.start);
        const endLine = lines.lineOf(Math.max(hit.start, hit.end - 1));
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
          column: hit.start - lines.lineStart(startLine) + 1,
          endLine: lineNumber(endLine),
          endColumn: hit.end - lines.lineStart(endLine) + 1,
          secret: hit.secret,
          match: hit.match,
          lineText: lines.lineText(startLine),
          metadata: hit.metadata,
          entropy: Math.round(hit.entropy * 1000) / 1000,
          fingerprint: fingerprint(hit.rule.id, hit.secret),
          ...(hit.encoded ? { encoding: "base64" as const } : {}),
          ...(hit.rule.checksum ? { checksumValid: hasValidGithubChecksum(hit.secret) } : {}),
          ...(companion ? { companion } : {}),
          ...(fragment.git ? { git: fragment.git } : {}),
        });
      }
      return findings;
    },
  };
}
