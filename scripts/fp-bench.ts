/**
 * False-positive budget on real code: installs a fixed, pinned set of popular npm packages
 * (JavaScript, TypeScript, JSON, Markdown, source maps, minified bundles) into a cache folder
 * and scans it with the built CLI. Every finding is printed (redacted) so it can be reviewed;
 * the summary gives findings per 100 MB and scan throughput.
 *
 *   npm run fp-bench [-- --dir PATH] [--json]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Pinned so the figures compare across runs; together well over 300 MB unpacked. */
const PACKAGES = [
  "typescript@5.9.3",
  "aws-sdk@2.1692.0",
  "googleapis@150.0.1",
  "monaco-editor@0.52.2",
  "three@0.178.0",
  "pdfjs-dist@5.3.93",
  "lodash@4.17.21",
  "moment@2.30.1",
  "rxjs@7.8.2",
  "react-dom@19.1.0",
  "webpack@5.99.9",
  "eslint@9.30.1",
  "@babel/core@7.28.0",
  "firebase@11.10.0",
  "stripe@18.3.0",
  "openai@5.8.2",
  "@anthropic-ai/sdk@0.56.0",
];

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const dirArg = args.indexOf("--dir");
const cache = resolve(dirArg >= 0 ? args[dirArg + 1]! : join(tmpdir(), "keywarden-fp-bench"));
const stamp = join(cache, "packages.txt");

if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== PACKAGES.join("\n")) {
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, "package.json"), '{"name":"keywarden-fp-bench","private":true}\n');
  process.stderr.write(`installing ${PACKAGES.length} pinned packages into ${cache} …\n`);
  execFileSync(
    "npm",
    ["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", ...PACKAGES],
    {
      cwd: cache,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  writeFileSync(stamp, PACKAGES.join("\n"));
}

const started = performance.now();
const run = spawnSync(
  process.execPath,
  [
    join(root, "bin/keywarden.js"),
    "scan",
    "node_modules",
    "--no-gitignore",
    "--format",
    "json",
    "--quiet",
    "--config",
    "/dev/null",
  ],
  { cwd: cache, encoding: "utf8", maxBuffer: 1 << 30 },
);
const seconds = (performance.now() - started) / 1000;
if (run.status !== 0 && run.status !== 1) {
  process.stderr.write(run.stderr);
  process.exit(2);
}
const report = JSON.parse(run.stdout) as {
  findings: { ruleId: string; path: string; line: number; secret: string }[];
  summary: { scannedBytes: number; scannedFragments: number; skipped: unknown[] };
};
const megabytes = report.summary.scannedBytes / 1024 / 1024;
const perRule = new Map<string, number>();
for (const finding of report.findings)
  perRule.set(finding.ruleId, (perRule.get(finding.ruleId) ?? 0) + 1);

if (args.includes("--json")) {
  process.stdout.write(
    `${JSON.stringify({ megabytes, seconds, findings: report.findings }, null, 2)}\n`,
  );
} else {
  for (const finding of report.findings) {
    process.stdout.write(`${finding.ruleId}\t${finding.path}:${finding.line}\t${finding.secret}\n`);
  }
  process.stdout.write(
    `\nby rule: ${[...perRule].map(([id, n]) => `${id} ${n}`).join(", ") || "none"}\n`,
  );
  process.stdout.write(
    `${report.findings.length} findings in ${megabytes.toFixed(1)} MB of text (${report.summary.scannedFragments} files, ${report.summary.skipped.length} skipped): ` +
      `${((100 * report.findings.length) / megabytes).toFixed(2)} per 100 MB; ${(megabytes / seconds).toFixed(1)} MB/s wall clock\n`,
  );
}
