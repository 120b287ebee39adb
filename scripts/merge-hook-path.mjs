// Merges the chunks the pre-commit hook loads into one module.
//
// esbuild's code splitting puts each set of modules shared by a different set of entry points
// into its own chunk, so `keywarden staged` loaded over thirty small files. Node 20's ESM loader
// spends about half a millisecond resolving, reading and linking each module: a tenth of the
// hook's run went on module count alone. This step bundles the entry and the chunks it loads
// statically on the hook's path into chunks/hook-path.js, and rewrites each of those chunks as a
// line re-exporting from it. Other chunks (`scan`, `revoke`, the report formats...) import the
// rewritten files unchanged and so share the one instance: a class checked with instanceof, or a
// cache held at module level, exists once. A dynamic import of a merged chunk (main's of
// `staged`) becomes a reference to what is already loaded; other dynamic imports stay as they
// were, so what loads on demand still does.
import { writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { build } from "esbuild";

/**
 * The sources whose outputs, with what they import statically, make up the hook's path: the
 * entry and what it imports dynamically for `keywarden staged` (a test checks that this loads
 * no other chunk).
 */
const HOOK_PATH_ENTRIES = [
  "src/cli/main.ts",
  "src/cli/file-args.ts",
  "src/cli/plain-args.ts",
  "src/cli/commands/staged.ts",
];

const MERGED_NAME = "hook-path.js";

/** A relative import specifier for `to`, as written in a module at `from`. */
function specifier(from, to) {
  const path = relative(dirname(from), to);
  return path.startsWith(".") ? path : `./${path}`;
}

/**
 * The JavaScript outputs of a split build, by absolute path, each with its entry point, its
 * exports and the absolute paths it imports statically.
 */
function readOutputs(metafile, workingDir) {
  const outputs = new Map();
  for (const [path, output] of Object.entries(metafile.outputs)) {
    if (!path.endsWith(".js")) continue;
    outputs.set(resolve(workingDir, path), {
      entryPoint: output.entryPoint,
      exports: output.exports,
      staticImports: output.imports
        .filter((imported) => imported.kind === "import-statement" && !imported.external)
        .map((imported) => resolve(workingDir, imported.path)),
    });
  }
  return outputs;
}

/** The outputs of the hook's entries and everything they import statically, in load order. */
function hookPathOutputs(outputs) {
  const roots = [...outputs].filter(([, output]) => HOOK_PATH_ENTRIES.includes(output.entryPoint));
  if (roots.length !== HOOK_PATH_ENTRIES.length) {
    throw new Error(`the split build lacks an output for one of ${HOOK_PATH_ENTRIES.join(", ")}`);
  }
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of outputs.get(path).staticImports) visit(imported);
  };
  for (const [path] of roots) visit(path);
  return [...seen];
}

/**
 * Rewrites the split build in `outDir` (whose metafile paths are relative to `workingDir`) so that
 * the hook's path is one module. Returns how many chunks were merged.
 */
export async function mergeHookPath(metafile, workingDir, outDir) {
  const outputs = readOutputs(metafile, workingDir);
  const merged = hookPathOutputs(outputs);
  const mergedSet = new Set(merged);
  const mergedFile = resolve(outDir, "chunks", MERGED_NAME);
  // Each output's exports, renamed apart: two chunks may both export `a`.
  const exported = (path, index) =>
    outputs.get(path).exports.map((name) => ({ name, as: `m${index}_${name}` }));
  const entry = merged
    .map((path, index) => {
      const names = exported(path, index);
      const from = JSON.stringify(path);
      if (names.length === 0) return `import ${from};`;
      return `export { ${names.map(({ name, as }) => `${name} as ${as}`).join(", ")} } from ${from};`;
    })
    .join("\n");
  const keepOthersApart = {
    name: "keep-others-apart",
    setup(plugin) {
      plugin.onResolve({ filter: /^\.\.?\// }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        if (mergedSet.has(path)) return { path };
        return { path: specifier(mergedFile, path), external: true };
      });
    },
  };
  await build({
    stdin: { contents: entry, resolveDir: outDir, loader: "js" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    legalComments: "none",
    logLevel: "warning",
    outfile: mergedFile,
    plugins: [keepOthersApart],
  });
  for (const [index, path] of merged.entries()) {
    const names = exported(path, index);
    const from = JSON.stringify(specifier(path, mergedFile));
    writeFileSync(
      path,
      names.length === 0
        ? `import ${from};\n`
        : `export { ${names.map(({ name, as }) => `${as} as ${name}`).join(", ")} } from ${from};\n`,
    );
  }
  return merged.length;
}
