import type { CompiledRule } from "../config/compile-rules.js";

/**
 * Keyword prefilter: one pass over the text finds every rule keyword that occurs, so only the
 * rules that can possibly match run their regexes.
 *
 * The pass is a single case-insensitive alternation of all keywords. V8 compiles it to native
 * code; on 50 MB of real JavaScript with 255 keywords it ran at ~115 MB/s, well ahead of the
 * JavaScript Aho-Corasick packages measured, and it needs no lowercased copy of the text.
 */
export interface Prefilter {
  /** Indices (into the rule list) of the rules worth running on `text`, ascending. */
  candidates(text: string): number[];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function buildPrefilter(rules: readonly CompiledRule[]): Prefilter {
  const rulesByKeyword = new Map<string, number[]>();
  const alwaysRun: number[] = [];
  rules.forEach((rule, index) => {
    if (rule.keywords.length === 0) alwaysRun.push(index);
    for (const keyword of rule.keywords) {
      const list = rulesByKeyword.get(keyword);
      if (list) list.push(index);
      else rulesByKeyword.set(keyword, [index]);
    }
  });
  // Longest first, so at any position the longest keyword wins. A keyword found inside a longer
  // hit ("sk-" inside "sk-ant-") is certain to occur too, so each keyword carries the rules of
  // every keyword it contains; restarting one character after a hit catches keywords that begin
  // inside it and run past its end.
  const keywords = [...rulesByKeyword.keys()].sort((a, b) => b.length - a.length);
  const rulesSelectedBy = new Map<string, number[]>();
  for (const keyword of keywords) {
    const selected = new Set<number>();
    for (const other of keywords) {
      if (other.length <= keyword.length && keyword.includes(other)) {
        for (const index of rulesByKeyword.get(other)!) selected.add(index);
      }
    }
    rulesSelectedBy.set(keyword, [...selected]);
  }
  const scanner =
    keywords.length > 0 ? new RegExp(keywords.map(escapeRegex).join("|"), "gi") : undefined;

  return {
    candidates(text: string): number[] {
      const selected = new Uint8Array(rules.length);
      for (const index of alwaysRun) selected[index] = 1;
      if (scanner) {
        const seen = new Set<string>();
        scanner.lastIndex = 0;
        let hit = scanner.exec(text);
        while (hit !== null) {
          const keyword = hit[0].toLowerCase();
          if (!seen.has(keyword)) {
            seen.add(keyword);
            for (const index of rulesSelectedBy.get(keyword)!) selected[index] = 1;
          }
          scanner.lastIndex = hit.index + 1;
          hit = scanner.exec(text);
        }
      }
      const result: number[] = [];
      for (let i = 0; i < selected.length; i++) if (selected[i]) result.push(i);
      return result;
    },
  };
}
