#!/usr/bin/env node
// Builds dist/cli.js (the CLI, code-split so rarely used commands load on demand) and
// dist/rules.json (rules/*.yaml validated and compiled once, so start-up parses no YAML).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const cliDir = join(dist, "cli");

// CommonJS dependencies bundled into ESM still call require() for node built-ins.
const requireShim =
  "import { createRequire as __keywardenCreateRequire } from 'node:module'; const require = __keywardenCreateRequire(import.meta.url);";

export const sharedOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  banner: { js: requireShim },
  logLevel: "warning",
};

async function buildCli() {
  rmSync(cliDir, { recursive: true, force: true });
  const result = await build({
    ...sharedOptions,
    entryPoints: { main: join(root, "src/cli/main.ts") },
    outdir: cliDir,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    metafile: true,
  });
  writeFileSync(join(dist, "cli-meta.json"), JSON.stringify(result.metafile));
}

async function buildRules() {
  const entry = join(dist, ".compile-rules.mjs");
  await build({
    ...sharedOptions,
    stdin: {
      contents: `
        import { readBuiltinRuleSources } from "./src/config/read-rule-files.ts";
        import { compileRules } from "./src/config/compile-rules.ts";
        export function bundleRules() {
          const sources = readBuiltinRuleSources();
          compileRules(sources);
          return sources.map(({ raw, source }) => ({ raw, file: source.file }));
        }`,
      resolveDir: root,
      loader: "ts",
    },
    outfile: entry,
  });
  try {
    const { bundleRules } = await import(pathToFileURL(entry).href);
    writeFileSync(join(dist, "rules.json"), JSON.stringify(bundleRules()));
  } finally {
    rmSync(entry, { force: true });
  }
}

mkdirSync(dist, { recursive: true });
try {
  await Promise.all([buildCli(), buildRules()]);
} catch (error) {
  // Rule file problems are ConfigErrors with one clear line; show just that.
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}
