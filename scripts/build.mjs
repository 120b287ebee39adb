#!/usr/bin/env node
// Builds dist/cli/ (the CLI, code-split so rarely used commands load on demand, with the
// pre-commit hook's path merged into one module) and
// dist/rules.json (rules/*.yaml validated and compiled once, so start-up parses no YAML and
// compiles none of the rules' path globs).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { builtinsByRequire, sharedOptions } from "./build-options.mjs";
import { mergeHookPath } from "./merge-hook-path.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const cliDir = join(dist, "cli");

export { sharedOptions };

async function buildCli() {
  // Build beside the old bundle and swap it in at the end, so a CLI process started meanwhile
  // (a parallel test, a hook) never finds dist/cli/ half written.
  const staging = `${cliDir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    ...sharedOptions,
    entryPoints: { main: join(root, "src/cli/main.ts") },
    outdir: staging,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    metafile: true,
    absWorkingDir: root,
    plugins: [builtinsByRequire],
  });
  await mergeHookPath(result.metafile, root, staging);
  const retired = `${cliDir}.old-${process.pid}`;
  if (existsSync(cliDir)) renameSync(cliDir, retired);
  renameSync(staging, cliDir);
  rmSync(retired, { recursive: true, force: true });
  writeFileSync(join(dist, "cli-meta.json"), JSON.stringify(result.metafile));
}

async function buildRules() {
  const entry = join(dist, `.compile-rules-${process.pid}.mjs`);
  await build({
    ...sharedOptions,
    stdin: {
      contents: `
        import { readBuiltinRuleSources } from "./src/config/read-rule-files.ts";
        import { compileRules } from "./src/config/compile-rules.ts";
        import { ruleScope } from "./src/config/pattern-scope.ts";
        import { storeScope } from "./src/config/pattern-scope-store.ts";
        import { globSources } from "./src/config/config-globs.ts";
        import { splitRuleDetails } from "./src/config/rule-details.ts";
        export function bundleRules() {
          const sources = readBuiltinRuleSources();
          compileRules(sources);
          return splitRuleDetails(sources.map(({ raw, source }) => {
            const globs = [
              ...(raw.paths?.include ?? []),
              ...(raw.paths?.exclude ?? []),
              ...(raw.allow?.paths ?? []),
            ];
            return {
              raw,
              file: source.file,
              scope: storeScope(ruleScope(raw)),
              ...(globs.length > 0 ? { globs: globSources(globs) } : {}),
            };
          }));
        }`,
      resolveDir: root,
      loader: "ts",
    },
    outfile: entry,
  });
  try {
    const { bundleRules } = await import(pathToFileURL(entry).href);
    const { lean, details } = bundleRules();
    // Detail first: a CLI that reads the new rules.json finds the details it names.
    writeAtomically(join(dist, "rules-detail.json"), JSON.stringify(details));
    writeAtomically(join(dist, "rules.json"), JSON.stringify(lean));
  } finally {
    rmSync(entry, { force: true });
  }
}

/** Writes beside the file and renames it in, so a CLI started meanwhile never reads half of it. */
function writeAtomically(file, text) {
  const staged = `${file}.${process.pid}`;
  writeFileSync(staged, text);
  renameSync(staged, file);
}

mkdirSync(dist, { recursive: true });
try {
  await Promise.all([buildCli(), buildRules()]);
} catch (error) {
  // Rule file problems are ConfigErrors with one clear line; show just that.
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}
