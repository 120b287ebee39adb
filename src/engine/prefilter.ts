import type { CompiledRule } from "../config/compile-rules.js";

/**
 * Keyword prefilter: one pass over the text finds every rule keyword that occurs, so only the
 * rules that can possibly match run their regexes.
 *
 * The pass runs an Aho-Corasick automaton compiled to a dense table (state × ASCII character,
 * case-folded), so each character costs one table lookup. On 72 MB of real JavaScript with 280
 * keywords this ran at ~95 MB/s, twice a single case-insensitive keyword alternation regex and
 * six to eleven times the JavaScript Aho-Corasick packages measured, which build match objects
 * and lowercase the text first.
 */
export interface Prefilter {
  /** Indices (into the rule list) of the rules worth running on `text`, ascending. */
  candidates(text: string): number[];
}

const ALPHABET = 128;

/** ASCII case folding; every non-ASCII character maps to 0, which no keyword contains. */
const FOLD = new Uint8Array(65536);
for (let code = 1; code < ALPHABET; code++)
  FOLD[code] = code >= 65 && code <= 90 ? code + 32 : code;

interface Automaton {
  /** Next state for (state << 7 | folded character). */
  readonly transitions: Int32Array;
  /** Rule indices selected on reaching each state (keywords ending here, suffixes included). */
  readonly selects: readonly (readonly number[] | undefined)[];
}

function buildAutomaton(keywords: ReadonlyMap<string, readonly number[]>): Automaton {
  const gotos: Int32Array[] = [new Int32Array(ALPHABET).fill(-1)];
  const outputs: Set<number>[] = [new Set()];
  for (const [keyword, ruleIndices] of keywords) {
    let state = 0;
    for (let i = 0; i < keyword.length; i++) {
      const code = FOLD[keyword.charCodeAt(i)]!;
      let next = gotos[state]![code]!;
      if (next === -1) {
        next = gotos.length;
        gotos[state]![code] = next;
        gotos.push(new Int32Array(ALPHABET).fill(-1));
        outputs.push(new Set());
      }
      state = next;
    }
    for (const index of ruleIndices) outputs[state]!.add(index);
  }
  // Breadth-first: failure links, then missing transitions filled in from the failure state.
  const failure = new Int32Array(gotos.length);
  const queue: number[] = [];
  for (let code = 0; code < ALPHABET; code++) {
    const next = gotos[0]![code]!;
    if (next === -1) gotos[0]![code] = 0;
    else queue.push(next);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    for (let code = 0; code < ALPHABET; code++) {
      const next = gotos[state]![code]!;
      if (next === -1) {
        gotos[state]![code] = gotos[failure[state]!]![code]!;
      } else {
        failure[next] = gotos[failure[state]!]![code]!;
        for (const index of outputs[failure[next]!]!) outputs[next]!.add(index);
        queue.push(next);
      }
    }
  }
  const transitions = new Int32Array(gotos.length * ALPHABET);
  for (const [state, row] of gotos.entries()) transitions.set(row, state * ALPHABET);
  return {
    transitions,
    selects: outputs.map((set) => (set.size > 0 ? [...set].sort((a, b) => a - b) : undefined)),
  };
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
  const { transitions, selects } = buildAutomaton(rulesByKeyword);

  return {
    candidates(text: string): number[] {
      const selected = new Uint8Array(rules.length);
      for (const index of alwaysRun) selected[index] = 1;
      const visited = new Uint8Array(selects.length);
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        state = transitions[(state << 7) | FOLD[text.charCodeAt(i)]!]!;
        const chosen = selects[state];
        if (chosen !== undefined && visited[state] === 0) {
          visited[state] = 1;
          for (const index of chosen) selected[index] = 1;
        }
      }
      const result: number[] = [];
      for (let i = 0; i < selected.length; i++) if (selected[i]) result.push(i);
      return result;
    },
  };
}
