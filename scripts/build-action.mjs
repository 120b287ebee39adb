#!/usr/bin/env node
// Builds the GitHub Action: one self-contained file, dist/action/index.js, committed so the
// Action runs without `npm install`. Deterministic (paths relative to the package root, no
// timestamps), so a test can rebuild it and compare bytes with the committed file.
//
//   node scripts/build-action.mjs                 writes dist/action/index.js
//   node scripts/build-action.mjs --outfile FILE  writes FILE instead (freshness check)
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { sharedOptions } from "./build-options.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function outfileArgument(argv) {
  const at = argv.indexOf("--outfile");
  if (at === -1) return join(root, "dist", "action", "index.js");
  const value = argv[at + 1];
  if (!value) {
    process.stderr.write("build-action: --outfile needs a file name\n");
    process.exit(2);
  }
  return resolve(value);
}

try {
  await build({
    ...sharedOptions,
    absWorkingDir: root,
    entryPoints: [join(root, "src/action/index.ts")],
    outfile: outfileArgument(process.argv.slice(2)),
    splitting: false,
    charset: "utf8",
  });
} catch (error) {
  process.stderr.write(`build-action failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}
