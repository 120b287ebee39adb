#!/usr/bin/env node
// npm run bench [-- --commits N --runs N --repo PATH --keep --json]
//
// Times the two git paths against what they cannot beat:
//   history: `keywarden history` on a repository (a generated, deterministic one of thousands
//            of commits with planted keys, or --repo PATH) against the floor of reading every
//            object once, `git cat-file --batch-all-objects --batch`; prints the ratio. Beside
//            it, the same output read through a pipe by a bare node process, and the history
//            source alone (git and reading, no rules).
//   staged:  `keywarden staged` as a whole process on a 10-file, ~500-line staged change,
//            beside the start-up time of a bare `node`.
// Each figure is the median of --runs runs (default 5). Needs `npm run build` first.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "keywarden.js");

const { values: args } = parseArgs({
  options: {
    commits: { type: "string", default: "3000" },
    runs: { type: "string", default: "5" },
    repo: { type: "string" },
    keep: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const runs = Math.max(1, Number(args.runs));

const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.test",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.test",
};
delete ENV.CI;
delete ENV.GITHUB_ACTIONS;

function git(cwd, ...gitArgs) {
  return execFileSync("git", gitArgs, {
    cwd,
    env: ENV,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  }).trim();
}

/** Key templates come from the project's own template expander: no key literals here. */
async function loadTemplates() {
  const dir = mkdtempSync(join(tmpdir(), "keywarden-bench-tpl-"));
  const file = join(dir, "example-template.mjs");
  await build({
    entryPoints: [join(root, "src/config/example-template.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: file,
    logLevel: "warning",
  });
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A runner of the history source alone (git walk + cat-file + decoding, no rules), to tell the
 * cost of reading history from the cost of matching rules.
 */
async function buildSourceRunner(dir) {
  const entry = join(dir, "source-only.ts");
  const file = join(dir, "source-only.mjs");
  writeFileSync(
    entry,
    `import { historyFragments } from ${JSON.stringify(join(root, "src/sources/history-blobs.ts"))};
let count = 0;
for await (const fragment of historyFragments({ cwd: process.cwd(), env: process.env, maxFileSize: 10 * 1024 * 1024, onSkip: () => {}, selection: {} })) count += fragment.text.length > 0 ? 1 : 0;
process.stdout.write(String(count));
`,
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: file,
    logLevel: "warning",
  });
  return file;
}

const KEY_TEMPLATES = [
  ["LLAMA_API_KEY", "LLM|{{digits:15}}|{{b64url:27}}"],
  ["OPENAI_API_KEY", "sk-proj-{{b64url:74}}T3BlbkFJ{{b64url:74}}"],
  ["GITHUB_TOKEN", "ghp_{{alnum:36}}"],
  ["ANTHROPIC_API_KEY", "sk-ant-api03-{{b64url:93}}AA"],
];

/** A small deterministic PRNG (mulberry32): the same repository on every machine. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the of and to in is that for it as with was on be by this are from or have an they which you were " +
  "value result config client request response handler error buffer stream index record user session " +
  "token cache query table column parse render update delete create module export import return async " +
  "await function const let class interface string number boolean options context logger metrics retry"
).split(" ");

function makeLine(random, indent) {
  const words = [];
  const count = 3 + Math.floor(random() * 10);
  for (let i = 0; i < count; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]);
  const kind = random();
  const text = words.join(" ");
  if (kind < 0.3) return `${"  ".repeat(indent)}// ${text}`;
  if (kind < 0.6)
    return `${"  ".repeat(indent)}const ${words[0]}_${words[1]} = ${JSON.stringify(text)};`;
  if (kind < 0.8) return `${"  ".repeat(indent)}${words[0]}(${words.slice(1, 4).join(", ")});`;
  return `${"  ".repeat(indent)}${text}`;
}

/**
 * Builds the repository with one `git fast-import` stream: files edited a few lines at a
 * time (so packs hold realistic deltas), side branches merged back, keys planted now and then
 * (some deleted again later).
 */
async function generateRepository(dir, commitCount, expandTemplate) {
  const random = prng(20260102);
  const fileCount = 400;
  const files = [];
  for (let i = 0; i < fileCount; i++) {
    const ext = [".ts", ".md", ".json", ".py", ".txt"][i % 5];
    const path = `src/pkg${i % 20}/module${i}${ext}`;
    const lines = [];
    const size = 40 + Math.floor(random() * 300);
    for (let l = 0; l < size; l++) lines.push(makeLine(random, l % 4));
    files.push({ path, lines });
  }
  git(dir, "init", "-q", "-b", "main", dir);
  git(dir, "config", "gc.auto", "0");
  const child = spawn("git", ["fast-import", "--quiet", "--depth=50"], {
    cwd: dir,
    env: ENV,
    stdio: ["pipe", "inherit", "inherit"],
  });
  const done = new Promise((ok, fail) =>
    child.on("close", (code) =>
      code === 0 ? ok() : fail(new Error(`git fast-import exited ${code}`)),
    ),
  );
  let pendingWrite = [];
  let pendingSize = 0;
  const write = async (text) => {
    pendingWrite.push(text);
    pendingSize += text.length;
    if (pendingSize > 1 << 20) await flush();
  };
  const flush = async () => {
    const chunk = pendingWrite.join("");
    pendingWrite = [];
    pendingSize = 0;
    if (!child.stdin.write(chunk)) await new Promise((ok) => child.stdin.once("drain", ok));
  };
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  let time = 1_700_000_000;
  let planted = 0;
  const live = [];
  let mainHead = 0;
  let sideHead = 0;
  let sideActive = false;
  for (let c = 0; c < commitCount; c++) {
    time += 600 + Math.floor(random() * 3600);
    const onSide = sideActive && random() < 0.4;
    const changes = [];
    const edits = 1 + Math.floor(random() * 4);
    for (let e = 0; e < edits; e++) {
      const file = files[Math.floor(random() * files.length)];
      const at = Math.floor(random() * file.lines.length);
      const replace = Math.floor(random() * 3);
      const added = [];
      for (let a = 0; a < 1 + Math.floor(random() * 6); a++) added.push(makeLine(random, 1));
      file.lines.splice(at, replace, ...added);
      changes.push(file);
    }
    if (c % 97 === 13) {
      const [name, template] = KEY_TEMPLATES[planted % KEY_TEMPLATES.length];
      const file = {
        path: `config/service${planted % 7}.env`,
        lines: [`${name}=${expandTemplate(template)}`],
      };
      const existing = files.find((f) => f.path === file.path);
      if (existing) existing.lines.push(...file.lines);
      else files.push(file);
      changes.push(existing ?? file);
      live.push(file.path);
      planted++;
    }
    const deletes = [];
    if (c % 211 === 100 && live.length > 0) {
      const path = live.shift();
      const index = files.findIndex((f) => f.path === path);
      if (index >= 0) {
        files.splice(index, 1);
        deletes.push(path);
      }
    }
    mark++;
    const branch = onSide ? "refs/heads/side" : "refs/heads/main";
    let text = `commit ${branch}\nmark :${mark}\ncommitter Bench <bench@example.test> ${time} +0000\n`;
    text += data(`change ${c}: ${changes.map((f) => f.path).join(", ")}`);
    if (onSide) {
      text += `from :${sideHead}\n`;
    } else if (mainHead > 0) {
      text += `from :${mainHead}\n`;
    }
    if (c === 0) {
      for (const file of files)
        text += `M 100644 inline ${file.path}\n${data(`${file.lines.join("\n")}\n`)}`;
    } else {
      for (const file of new Set(changes)) {
        if (files.includes(file))
          text += `M 100644 inline ${file.path}\n${data(`${file.lines.join("\n")}\n`)}`;
      }
      for (const path of deletes) text += `D ${path}\n`;
    }
    await write(text);
    if (onSide) sideHead = mark;
    else mainHead = mark;
    // Branch off now and then; merge back after a while.
    if (!sideActive && c > 0 && c % 150 === 0) {
      sideActive = true;
      sideHead = mainHead;
    } else if (sideActive && c % 150 === 120) {
      sideActive = false;
      mark++;
      time += 60;
      let merge = `commit refs/heads/main\nmark :${mark}\ncommitter Bench <bench@example.test> ${time} +0000\n`;
      // The merge keeps main's tree (as `-s ours` would): side blobs stay reachable through
      // the side commits, which is what a history scan has to find.
      merge += `${data(`merge side at ${c}`)}from :${mainHead}\nmerge :${sideHead}\n`;
      await write(merge);
      mainHead = mark;
    }
  }
  await flush();
  child.stdin.end();
  await done;
  git(dir, "reset", "-q", "--hard", "main");
  return { planted };
}

function mbPerSecond(mb, ms) {
  return (mb / (ms / 1000)).toFixed(0);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeRun(command, commandArgs, cwd, okCodes = [0]) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, {
    cwd,
    env: ENV,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!okCodes.includes(result.status)) {
    throw new Error(
      `${command} ${commandArgs.join(" ")} exited ${result.status}: ${result.stderr}`,
    );
  }
  return { ms, stdout: result.stdout.toString("utf8") };
}

/**
 * The most memory (resident set, MB) `keywarden history` takes on the repository, from one more
 * run than the timed ones: a preload module reads the process's own peak as it exits.
 */
function historyPeakMb(repo, work) {
  const preload = join(work, "peak-rss.mjs");
  const out = join(work, "peak-rss.txt");
  writeFileSync(
    preload,
    `import { writeFileSync } from "node:fs";
process.on("exit", () => writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));
`,
  );
  timeRun(
    process.execPath,
    ["--import", pathToFileURL(preload).href, bin, "history", "--format", "json", "--quiet"],
    repo,
    [0, 1],
  );
  return Number(readFileSync(out, "utf8")) / 1024;
}

function timeFloor(repo) {
  // Every object once, written to /dev/null: the least any full read of the repository costs.
  const started = process.hrtime.bigint();
  const result = spawnSync("git", ["cat-file", "--batch-all-objects", "--batch"], {
    cwd: repo,
    env: ENV,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error("git cat-file --batch-all-objects failed");
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * The floor's output read through a pipe by a node process that only reads it: what any node
 * reader of git's output pays before it does anything with it.
 */
function timeFloorIntoNode(repo) {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    "sh",
    [
      "-c",
      `git cat-file --batch-all-objects --batch | "$0" -e "process.stdin.resume()"`,
      process.execPath,
    ],
    { cwd: repo, env: ENV, stdio: ["ignore", "ignore", "inherit"] },
  );
  if (result.status !== 0) throw new Error("git cat-file --batch-all-objects | node failed");
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function repoStats(repo) {
  const commits = Number(git(repo, "rev-list", "--all", "--count"));
  const check = git(
    repo,
    "cat-file",
    "--batch-all-objects",
    "--batch-check=%(objecttype) %(objectsize)",
  );
  let blobs = 0;
  let bytes = 0;
  for (const line of check.split("\n")) {
    const [type, size] = line.split(" ");
    if (type === "blob") {
      blobs++;
      bytes += Number(size);
    }
  }
  return { commits, blobs, mb: bytes / 1024 / 1024 };
}

/** 10 files, about 50 added lines each, staged. */
function stageChange(repo) {
  const random = prng(7);
  for (let f = 0; f < 10; f++) {
    const path = join(repo, "bench-staged", `file${f}.ts`);
    mkdirSync(dirname(path), { recursive: true });
    const lines = [];
    for (let l = 0; l < 50; l++) lines.push(makeLine(random, l % 3));
    writeFileSync(path, `${lines.join("\n")}\n`);
  }
  git(repo, "add", "bench-staged");
}

async function main() {
  if (!existsSync(join(root, "dist", "cli", "main.js"))) {
    throw new Error("dist/ is missing: run npm run build first");
  }
  const { expandTemplate } = await loadTemplates();
  const work = mkdtempSync(join(tmpdir(), "keywarden-bench-"));
  const results = {};
  try {
    let historyRepo;
    if (args.repo) {
      historyRepo = resolve(args.repo);
    } else {
      historyRepo = join(work, "history");
      mkdirSync(historyRepo);
      const started = Date.now();
      const { planted } = await generateRepository(
        historyRepo,
        Number(args.commits),
        expandTemplate,
      );
      process.stderr.write(
        `generated ${historyRepo} (${planted} planted keys) in ${Date.now() - started} ms\n`,
      );
    }
    const stats = repoStats(historyRepo);
    // Warm the page cache once so the first timed run is not a cold read.
    timeFloor(historyRepo);
    const sourceRunner = await buildSourceRunner(work);
    const floor = [];
    const floorIntoNode = [];
    const history = [];
    const sourceOnly = [];
    let findings = 0;
    for (let r = 0; r < runs; r++) {
      floor.push(timeFloor(historyRepo));
      floorIntoNode.push(timeFloorIntoNode(historyRepo));
      const run = timeRun(
        process.execPath,
        [bin, "history", "--format", "json", "--quiet"],
        historyRepo,
        [0, 1],
      );
      history.push(run.ms);
      sourceOnly.push(timeRun(process.execPath, [sourceRunner], historyRepo).ms);
      findings = JSON.parse(run.stdout).findings.length;
    }
    results.history = {
      repo: args.repo ? historyRepo : "generated",
      ...stats,
      findings,
      floorMs: Math.round(median(floor)),
      floorIntoNodeMs: Math.round(median(floorIntoNode)),
      keywardenMs: Math.round(median(history)),
      sourceOnlyMs: Math.round(median(sourceOnly)),
      ratio: Number((median(history) / median(floor)).toFixed(2)),
      peakMb: Math.round(historyPeakMb(historyRepo, work)),
    };

    const stagedRepo = join(work, "staged");
    mkdirSync(stagedRepo);
    await generateRepository(stagedRepo, 50, expandTemplate);
    stageChange(stagedRepo);
    const staged = [];
    const nodeOnly = [];
    timeRun(process.execPath, [bin, "staged", "--quiet"], stagedRepo);
    for (let r = 0; r < Math.max(runs, 10); r++) {
      staged.push(timeRun(process.execPath, [bin, "staged", "--quiet"], stagedRepo).ms);
      nodeOnly.push(timeRun(process.execPath, ["-e", ""], stagedRepo).ms);
    }
    results.staged = {
      files: 10,
      addedLines: 500,
      medianMs: Math.round(median(staged)),
      nodeStartupMs: Math.round(median(nodeOnly)),
    };
  } finally {
    if (args.keep) process.stderr.write(`kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }

  if (args.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  const h = results.history;
  const s = results.staged;
  process.stdout.write(
    [
      `history (${h.repo}): ${h.commits} commits, ${h.blobs} blobs, ${h.mb.toFixed(1)} MB of blobs, ${h.findings} findings`,
      `  git cat-file --batch-all-objects --batch (floor)  median ${h.floorMs} ms`,
      `  the same, read through a pipe by node -e          median ${h.floorIntoNodeMs} ms  (${(h.floorIntoNodeMs / h.floorMs).toFixed(2)}x the floor)`,
      `  keywarden history                                 median ${h.keywardenMs} ms  (${h.ratio}x the floor; goal <= 1.5x; ${mbPerSecond(h.mb, h.keywardenMs)} MB/s of blobs)`,
      `  keywarden history, most memory taken              ${h.peakMb} MB resident`,
      `  history source alone (git + reading, no rules)    median ${h.sourceOnlyMs} ms  (${(h.sourceOnlyMs / h.floorMs).toFixed(2)}x the floor)`,
      `staged (${s.files} files, ${s.addedLines} added lines)`,
      `  keywarden staged                                  median ${s.medianMs} ms  (goal < 150 ms)`,
      `  node -e "" (start-up alone)                       median ${s.nodeStartupMs} ms`,
      `median of ${runs} runs (staged: ${Math.max(runs, 10)})`,
      "",
    ].join("\n"),
  );
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exit(1);
});
