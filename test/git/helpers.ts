import { expandTemplate } from "../../src/config/example-template.js";
import type { Fragment, SkipNotice } from "../../src/types.js";
import { GIT_ENV, type TempRepo } from "../helpers/git-repo.js";

/** A fresh Meta Llama API key (built-in rule meta-llama-api-key), made at test time. */
export function plantedKey(): string {
  return expandTemplate("LLM|{{digits:15}}|{{b64url:27}}");
}

/** The environment a source gets in tests: the fixed identity and no global git config. */
export function gitContext(repo: TempRepo) {
  return { cwd: repo.dir, env: { ...process.env, ...GIT_ENV } };
}

export interface Collected {
  readonly fragments: Fragment[];
  readonly skipped: SkipNotice[];
}

/** Drains a source built with an onSkip callback. */
export async function collect(
  build: (onSkip: (notice: SkipNotice) => void) => AsyncIterable<Fragment>,
): Promise<Collected> {
  const skipped: SkipNotice[] = [];
  const fragments: Fragment[] = [];
  for await (const fragment of build((notice) => skipped.push(notice))) fragments.push(fragment);
  return { fragments, skipped };
}

/** Lines of a fragment with their file line numbers, for compact assertions. */
export function numberedLines(fragment: Fragment): [number, string][] {
  return numberedLinesWithContext(fragment).filter(([line]) => !fragment.contextOnly?.has(line));
}

/** Every line of a fragment with its file line number, context lines too. */
export function numberedLinesWithContext(fragment: Fragment): [number, string][] {
  const lines = fragment.text.split("\n");
  return lines.map((line, index) => [
    fragment.lineNumbers?.[index] ?? fragment.startLine + index,
    line,
  ]);
}
