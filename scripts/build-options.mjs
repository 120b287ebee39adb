// esbuild options every keywarden bundle shares (the CLI in build.mjs, the Action in
// build-action.mjs).

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

/**
 * Node's built-in modules as `require` calls, not imports. An ESM import of a built-in reads
 * every export it has, and some are getters that load more: `node:fs` loads its streams,
 * `node:util` AbortController. That is about 4 ms of the pre-commit hook's run, spent on
 * exports keywarden never uses; `require` reads only what is used.
 */
export const builtinsByRequire = {
  name: "builtins-by-require",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === "import-statement" ? { path: args.path, namespace: "builtin" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};
