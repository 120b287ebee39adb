import type { CompiledRule } from "../../src/config/compile-rules.js";
import { expandExample } from "../../src/config/example-template.js";

/** A seeded linear congruential generator, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export const FILLER = [
  "const value = compute(input, options);",
  "",
  "  # configuration follows",
  "function handler(request) { return request.body; }",
  '{"name": "package", "version": "1.0.0"}',
  `var a=1,b=2;${"c=function(d){return d*2};".repeat(40)}`,
];

/** Every rule's match and no-match examples: near misses test that a cut makes no match. */
export function allExamples(rules: readonly CompiledRule[]): string[] {
  return rules.flatMap((rule) =>
    [...rule.raw.examples.match, ...rule.raw.examples.nomatch].map((example) =>
      typeof example === "string" ? example : example.text,
    ),
  );
}

/**
 * Examples as encodings present them: base64 after `data:` (a Kubernetes Secret's shape), and
 * base64 wrapped at 76 columns as `base64` writes it, decoded as one block across lines.
 */
export function encodedPieces(examples: readonly string[]): {
  encodedExamples: string[];
  wrappedExamples: string[];
} {
  const encodedExamples = examples
    .slice(0, 40)
    .map((example) => `data: ${Buffer.from(example).toString("base64")}`);
  const wrappedExamples = examples.slice(40, 60).map((example) =>
    (
      Buffer.from(`KEY=${expandExample(example).text}\n`)
        .toString("base64")
        .match(/.{1,76}/g) ?? []
    ).join("\n"),
  );
  return { encodedExamples, wrappedExamples };
}

/**
 * `count` pieces, each filler or an expanded example, between line breaks, blank lines or a
 * space (several to a line, as in minified files).
 */
export function seededParts(
  random: () => number,
  examples: readonly string[],
  count: number,
): string[] {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.5) parts.push(FILLER[Math.floor(random() * FILLER.length)]!);
    else parts.push(expandExample(examples[Math.floor(random() * examples.length)]!).text);
    parts.push(random() < 0.3 ? " " : random() < 0.9 ? "\n" : "\n\n\n");
  }
  return parts;
}
