import { createDetector } from "../engine/detector.js";
import { ruleTakesSecret } from "../engine/secret-checks.js";
import { type CompiledRule, originText } from "./compile-rules.js";
import { expandExample, expandTemplate, hasTemplate } from "./example-template.js";
import type { MatchExample, NomatchExample } from "./rule-schema.js";

export interface RuleProblem {
  readonly ruleId: string;
  readonly where: string;
  readonly message: string;
}

export interface RuleCheckResult {
  readonly rules: number;
  readonly examples: number;
  readonly problems: readonly RuleProblem[];
}

/** Each templated example is expanded this many times: one lucky draw proves little. */
const DRAWS = 3;

function exampleText(example: MatchExample | NomatchExample): { text: string; path?: string } {
  return typeof example === "string" ? { text: example } : example;
}

/**
 * Runs every rule's examples through the real engine, one rule at a time (plus the companion a
 * rule requires): each match example must be reported, with the marked or stated secret and
 * metadata; no nomatch example may be. Serves `keywarden rules test` and the test suite; reports
 * every problem, not just the first.
 */
export function checkRules(
  subjects: readonly CompiledRule[],
  options: {
    /** Rules a subject may name in `requires` besides the subjects themselves. */
    readonly companions?: readonly CompiledRule[];
  } = {},
): RuleCheckResult {
  const problems: RuleProblem[] = [];
  const byId = new Map([...(options.companions ?? []), ...subjects].map((rule) => [rule.id, rule]));
  let examples = 0;

  for (const rule of subjects) {
    const where = originText(rule.source);
    const report = (message: string) => problems.push({ ruleId: rule.id, where, message });
    const companion = rule.requires ? byId.get(rule.requires.rule) : undefined;
    // A helper rule that is never reported on its own is checked through a reporting copy.
    const subject = rule.report ? rule : { ...rule, report: true };
    const detector = createDetector(companion ? [subject, companion] : [subject], {
      maxDecodeDepth: 0,
    });
    // The same rule run on the whole text: what it finds there, the keyword windows or leads
    // must find.
    const wholeText =
      rule.reach || rule.leads
        ? createDetector(
            [
              { ...subject, reach: undefined, leads: undefined },
              ...(companion ? [companion] : []),
            ] as CompiledRule[],
            { maxDecodeDepth: 0 },
          )
        : undefined;
    const raw = rule.raw.examples;

    raw.match.forEach((example, index) => {
      const { text: template, path } = exampleText(example);
      for (let draw = 0; draw < DRAWS; draw++) {
        examples++;
        const expanded = expandExample(template, (secret) => ruleTakesSecret(rule, secret));
        const lowered = expanded.text.toLowerCase();
        if (
          rule.keywords.length > 0 &&
          !rule.keywords.some((keyword) => lowered.includes(keyword))
        ) {
          report(
            `examples.match[${index}] contains none of the rule's keywords, so the prefilter would never run the rule`,
          );
          break;
        }
        const findings = detector
          .detect({ text: expanded.text, path: path ?? "example.txt", startLine: 1 })
          .filter((finding) => finding.ruleId === rule.id);
        const missed = wholeText
          ?.detect({ text: expanded.text, path: path ?? "example.txt", startLine: 1 })
          .find(
            (whole) =>
              whole.ruleId === rule.id &&
              !findings.some((finding) => finding.secret === whole.secret),
          );
        if (missed) {
          report(
            `examples.match[${index}] reports ${JSON.stringify(missed.secret)} only when the rule runs on the whole text: no keyword lies within the pattern's reach of it (make a keyword part of the pattern)`,
          );
          break;
        }
        if (findings.length === 0) {
          report(`examples.match[${index}] is not reported: ${JSON.stringify(expanded.text)}`);
          break;
        }
        const statedSecret = typeof example === "object" ? example.secret : undefined;
        if (statedSecret !== undefined && hasTemplate(statedSecret)) {
          // A separate random draw could never equal the text's: mark the span with [[...]] instead.
          report(
            `examples.match[${index}].secret holds a template; mark the secret in the text with [[...]] instead`,
          );
          break;
        }
        const expectedSecret = statedSecret ?? expanded.markedSecret;
        if (
          expectedSecret !== undefined &&
          !findings.some((finding) => finding.secret === expectedSecret)
        ) {
          report(
            `examples.match[${index}] reports secret ${JSON.stringify(findings[0]!.secret)}, expected ${JSON.stringify(expectedSecret)}`,
          );
          break;
        }
        const metadata = typeof example === "object" ? example.metadata : undefined;
        if (metadata) {
          for (const [name, value] of Object.entries(metadata)) {
            if (!findings.some((finding) => finding.metadata[name] === value)) {
              report(`examples.match[${index}] metadata ${name} is not ${JSON.stringify(value)}`);
            }
          }
        }
      }
    });

    raw.nomatch.forEach((example, index) => {
      const { text: template, path } = exampleText(example);
      for (let draw = 0; draw < DRAWS; draw++) {
        examples++;
        const text = expandTemplate(template);
        const findings = detector
          .detect({ text, path: path ?? "example.txt", startLine: 1 })
          .filter((finding) => finding.ruleId === rule.id);
        if (findings.length > 0) {
          report(
            `examples.nomatch[${index}] is reported (secret ${JSON.stringify(findings[0]!.secret)}): ${JSON.stringify(text)}`,
          );
          break;
        }
      }
    });

    if (rule.keywords.length === 0 && !rule.raw.description) {
      report("has no keywords, so it runs on every fragment: say why in description");
    }
  }
  return { rules: subjects.length, examples, problems };
}
