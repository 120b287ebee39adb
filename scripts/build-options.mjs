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
