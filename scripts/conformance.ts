/**
 * Conformance against other scanners' public test cases (shared/corpus): per source, recall on
 * labelled true positives of providers keywarden covers, and the share of labelled false
 * positives it reports. Peer rule ids map to keywarden's in scripts/conformance/rule-map.json;
 * labels we disagree with are listed, with the reason, in scripts/conformance/disagreements.json.
 *
 *   npm run conformance [-- --corpus PATH] [--list-misses]
 */
import { createHash } from "node:crypto";
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
const disagreements = JSON.parse(
  readFileSync(join(root, "scripts/conformance/disagreements.json"), "utf8"),
) as {
  source: string;
  peerRule: string;
  kind: "tp" | "fp";
  textSha256: string;
  reason: string;
}[];
const disputed = new Set(
  disagreements.map((d) => `${d.source}\0${d.peerRule}\0${d.kind}\0${d.textSha256}`),
);

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

const sha = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
const readJsonl = (name: string) =>
  readFileSync(join(corpus, name), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

function scan(text: string, path: string): Finding[] {
  return detector.detect({ text, path, startLine: 1 });
}

/** Records one labelled case: a tp must be reported by a mapped rule, an fp by none of them. */
function record(
  source: string,
  peerRule: string,
  kind: "tp" | "fp",
  text: string,
  isReported: (mapped: ReadonlySet<string>) => boolean,
  label: string,
): void {
  const t = tally(source);
  const mapped = ruleMap[source]?.[peerRule];
  if (!mapped || mapped.length === 0) {
    t.uncovered++;
    return;
  }
  if (disputed.has(`${source}\0${peerRule}\0${kind}\0${sha(text)}`)) {
    t.disputed++;
    return;
  }
  const reported = isReported(new Set(mapped));
  if (kind === "tp") {
    t.tp++;
    if (reported) t.tpFound++;
    else t.misses.push(`tp missed  ${peerRule} ${sha(text)} ${label}`);
  } else {
    t.fp++;
    if (reported) {
      t.fpReported++;
      t.misses.push(`fp reported ${peerRule} ${sha(text)} ${label}`);
    }
  }
}

// gitleaks: literal rule examples (generated ones have no text: their regexes are covered by
// keywarden's own templated examples).
for (const row of readJsonl("gitleaks.jsonl")) {
  if (row.type !== "example" || typeof row.text !== "string" || row.text === "") continue;
  const text = row.text;
  const path = typeof row.path === "string" ? row.path : "example.txt";
  record(
    "gitleaks",
    String(row.rule),
    row.kind as "tp" | "fp",
    text,
    (mapped) => scan(text, path).some((f) => mapped.has(f.ruleId)),
    JSON.stringify(text.slice(0, 100)),
  );
}

// secretlint: snapshot input files; a tp needs a mapped finding on every expected line.
for (const row of readJsonl("secretlint.jsonl")) {
  const file = join(corpus, String(row.file));
  if (!existsSync(file)) continue;
  const text = readFileSync(file, "latin1");
  const expected = (row.expected as { line: number }[]) ?? [];
  record(
    "secretlint",
    String(row.rule),
    row.kind as "tp" | "fp",
    text,
    (mapped) => {
      const findings = scan(text, String(row.file)).filter((f) => mapped.has(f.ruleId));
      if (row.kind === "fp") return findings.length > 0;
      return expected.every((e) => findings.some((f) => f.line <= e.line && e.line <= f.endLine));
    },
    String(row.file),
  );
}

// detect-secrets: plugin examples (one line each).
for (const row of readJsonl("detect-secrets.jsonl")) {
  if (row.type !== "example" || typeof row.text !== "string") continue;
  const text = row.text;
  const ext = typeof row.file_extension === "string" ? row.file_extension : "txt";
  record(
    "detect-secrets",
    String(row.plugin),
    row.kind as "tp" | "fp",
    text,
    (mapped) => scan(text, `example.${ext.replace(/^\./, "")}`).some((f) => mapped.has(f.ruleId)),
    JSON.stringify(text.slice(0, 100)),
  );
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
