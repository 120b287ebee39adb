/**
 * Conformance against other scanners' public test cases (shared/corpus): per source, recall on
 * labelled true positives of providers keywarden covers, and the share of labelled false
 * positives it reports. Peer rule ids map to keywarden's in scripts/conformance/rule-map.json;
 * labels we disagree with are listed, with the reason, in scripts/conformance/disagreements.json.
 *
 *   npm run conformance [-- --corpus PATH] [--list-misses]
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config/load-config.js";
import { createDetector } from "../src/engine/detector.js";
import type { Finding } from "../src/types.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const corpusArg = args.indexOf("--corpus");
const corpus = resolve(
  corpusArg >= 0 ? args[corpusArg + 1]! : join(root, "..", "shared", "corpus"),
);
const listMisses = args.includes("--list-misses");

if (!existsSync(join(corpus, "gitleaks.jsonl"))) {
  process.stderr.write(`conformance: no corpus at ${corpus} (pass --corpus PATH)\n`);
  process.exit(2);
}

type RuleMap = Record<string, Record<string, string[] | null>>;
const ruleMap = JSON.parse(
  readFileSync(join(root, "scripts/conformance/rule-map.json"), "utf8"),
) as RuleMap;
/** A label we disagree with: cases of a peer rule whose text matches `pattern`, and why. */
interface Disagreement {
  readonly source: string;
  /** Peer rule id, or "*" for every rule of the source. */
  readonly peerRule: string;
  readonly kind: "tp" | "fp";
  readonly pattern: string;
  readonly reason: string;
}
const disagreements = (
  JSON.parse(
    readFileSync(join(root, "scripts/conformance/disagreements.json"), "utf8"),
  ) as Disagreement[]
).map((d) => ({ ...d, regex: new RegExp(d.pattern) }));
const disputedCounts = new Map<Disagreement, number>();
function disputeOf(source: string, peerRule: string, kind: "tp" | "fp", text: string) {
  return disagreements.find(
    (d) =>
      d.source === source &&
      (d.peerRule === "*" || d.peerRule === peerRule) &&
      d.kind === kind &&
      d.regex.test(text),
  );
}

const config = await loadConfig({ cwd: root, configPath: "/dev/null" });
const detector = createDetector(config.rules, { maxDecodeDepth: config.decodeDepth });
const knownIds = new Set(config.rules.map((rule) => rule.id));
for (const [source, map] of Object.entries(ruleMap)) {
  for (const [peer, ids] of Object.entries(map)) {
    for (const id of ids ?? []) {
      if (!knownIds.has(id))
        throw new Error(`rule-map.json: ${source} ${peer} → unknown keywarden rule ${id}`);
    }
  }
}

interface Tally {
  tp: number;
  tpFound: number;
  fp: number;
  fpReported: number;
  disputed: number;
  uncovered: number;
  misses: string[];
}

const tallies = new Map<string, Tally>();
function tally(source: string): Tally {
  let t = tallies.get(source);
  if (!t) {
    t = { tp: 0, tpFound: 0, fp: 0, fpReported: 0, disputed: 0, uncovered: 0, misses: [] };
    tallies.set(source, t);
  }
  return t;
}

const readJsonl = (name: string) =>
  readFileSync(join(corpus, name), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

function scan(text: string, path: string): Finding[] {
  return detector.detect({ text, path, startLine: 1 });
}

/**
 * Records one labelled case of a peer rule keywarden covers (the map names keywarden rules for
 * it). A tp counts as found when keywarden reports it with any rule (a provider rule may explain
 * a peer's generic case) on every expected line; an fp counts as reported when a rule mapped to
 * that peer rule reports it (a peer's fp label says what one rule must not match, and often holds
 * another kind of key that a different rule rightly reports).
 */
function record(
  source: string,
  peerRule: string,
  kind: "tp" | "fp",
  text: string,
  findings: readonly Finding[],
  label: string,
  expectedLines: readonly number[] = [],
): void {
  const t = tally(source);
  const mapped = ruleMap[source]?.[peerRule];
  if (!mapped || mapped.length === 0) {
    t.uncovered++;
    return;
  }
  const scope = new Set(mapped);
  const agrees =
    kind === "tp"
      ? findings.length > 0 &&
        expectedLines.every((line) => findings.some((f) => f.line <= line && line <= f.endLine))
      : !findings.some((f) => scope.has(f.ruleId));
  // Only a case keywarden disagrees with can be set aside, and only with a written reason.
  const dispute = agrees ? undefined : disputeOf(source, peerRule, kind, text);
  if (dispute) {
    t.disputed++;
    disputedCounts.set(dispute, (disputedCounts.get(dispute) ?? 0) + 1);
    return;
  }
  if (kind === "tp") {
    t.tp++;
    if (agrees) t.tpFound++;
    else t.misses.push(`tp missed   ${peerRule} ${label}`);
  } else {
    t.fp++;
    if (!agrees) {
      t.fpReported++;
      t.misses.push(`fp reported ${peerRule} ${label}`);
    }
  }
}

// gitleaks: literal rule examples (generated ones have no text: their regexes are covered by
// keywarden's own templated examples).
for (const row of readJsonl("gitleaks.jsonl")) {
  if (row.type !== "example" || typeof row.text !== "string" || row.text === "") continue;
  const path = typeof row.path === "string" ? row.path : "example.txt";
  const kind = row.kind as "tp" | "fp";
  record(
    "gitleaks",
    String(row.rule),
    kind,
    row.text,
    scan(row.text, path),
    JSON.stringify(row.text.slice(0, 100)),
  );
}

// secretlint: snapshot input files. Each expected message of a tp file is one labelled secret,
// found when a finding covers its line; an fp file is one case.
for (const row of readJsonl("secretlint.jsonl")) {
  const file = join(corpus, String(row.file));
  if (!existsSync(file)) continue;
  const text = readFileSync(file, "latin1");
  const findings = scan(text, String(row.file));
  const rule = String(row.rule);
  if (row.kind === "fp") {
    record("secretlint", rule, "fp", text, findings, String(row.file));
    continue;
  }
  const lines = text.split("\n");
  // secretlint reports a range (a whole service-account JSON, a PEM block): a finding anywhere
  // in it counts.
  for (const expected of (row.expected as { line: number; end_line: number }[]) ?? []) {
    const lineText = lines.slice(expected.line - 1, expected.end_line).join("\n");
    const inRange = findings.filter(
      (f) => f.line <= expected.end_line && expected.line <= f.endLine,
    );
    record("secretlint", rule, "tp", lineText, inRange, `${row.file}:${expected.line}`);
  }
}

// detect-secrets: plugin examples (one line each).
for (const row of readJsonl("detect-secrets.jsonl")) {
  if (row.type !== "example" || typeof row.text !== "string") continue;
  const ext =
    typeof row.file_extension === "string" ? row.file_extension.replace(/^\./, "") : "txt";
  const kind = row.kind as "tp" | "fp";
  record(
    "detect-secrets",
    String(row.plugin),
    kind,
    row.text,
    scan(row.text, `example.${ext}`),
    JSON.stringify(row.text.slice(0, 100)),
  );
}

// detect-secrets: its fixture files, one labelled secret per expected entry, by secret type.
const DETECT_SECRETS_TYPES: Readonly<Record<string, string>> = {
  "Secret Keyword": "KeywordDetector",
  "AWS Access Key": "AWSKeyDetector",
  "Basic Auth Credentials": "BasicAuthDetector",
  "Private Key": "PrivateKeyDetector",
  "Hex High Entropy String": "HexHighEntropyString",
  "Base64 High Entropy String": "Base64HighEntropyString",
};
const seenFiles = new Set<string>();
for (const row of readJsonl("detect-secrets.jsonl")) {
  // The reference run covers every file with the default plugins; test scenarios repeat files
  // under narrower settings, so each file is counted once, from the reference run.
  if (row.type !== "file" || row.label_origin !== "reference-run") continue;
  const file = join(corpus, String(row.file));
  if (!existsSync(file) || seenFiles.has(file)) continue;
  seenFiles.add(file);
  const text = readFileSync(file, "latin1");
  const findings = scan(text, String(row.file));
  const lines = text.split("\n");
  for (const expected of (row.expected as { line: number; type: string }[]) ?? []) {
    const plugin = DETECT_SECRETS_TYPES[expected.type] ?? expected.type;
    const onLine = findings.filter((f) => f.line <= expected.line && expected.line <= f.endLine);
    record(
      "detect-secrets files",
      plugin,
      "tp",
      lines[expected.line - 1] ?? "",
      onLine,
      `${row.file}:${expected.line}`,
    );
  }
}

const pct = (part: number, whole: number) =>
  whole === 0 ? "  n/a" : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
process.stdout.write(
  "source          tp found/total   recall   fp reported/total   fp rate   disputed   uncovered\n",
);
for (const [source, t] of tallies) {
  process.stdout.write(
    `${source.padEnd(15)} ${`${t.tpFound}/${t.tp}`.padStart(14)}   ${pct(t.tpFound, t.tp)}   ${`${t.fpReported}/${t.fp}`.padStart(17)}   ${pct(t.fpReported, t.fp)}   ${String(t.disputed).padStart(8)}   ${String(t.uncovered).padStart(9)}\n`,
  );
  if (listMisses) for (const miss of t.misses) process.stdout.write(`  ${miss}\n`);
}
process.stdout.write("\nLabels set aside (scripts/conformance/disagreements.json):\n");
for (const [dispute, count] of disputedCounts) {
  process.stdout.write(
    `  ${dispute.source} ${dispute.peerRule} ${dispute.kind} ×${count}: ${dispute.reason}\n`,
  );
}
