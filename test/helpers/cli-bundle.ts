import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./run-cli.js";

/** The esbuild metafile of the built CLI (dist/cli-meta.json): its outputs and what they import. */
export interface CliMetafile {
  outputs: Record<
    string,
    {
      imports: { path: string; kind: string }[];
      inputs: Record<string, unknown>;
      entryPoint?: string;
    }
  >;
}

export function readCliMetafile(): CliMetafile {
  return JSON.parse(readFileSync(join(REPO_ROOT, "dist/cli-meta.json"), "utf8")) as CliMetafile;
}

/** The output of the CLI's entry point, dist/cli/main.js. */
export function mainOutput(meta: CliMetafile): string {
  const main = Object.keys(meta.outputs).find(
    (path) => meta.outputs[path]!.entryPoint === "src/cli/main.ts",
  );
  if (!main) throw new Error("dist/cli-meta.json has no output for src/cli/main.ts");
  return main;
}

/** The outputs that load with `outputs`: they and their static imports, transitively. */
export function staticClosure(meta: CliMetafile, ...outputs: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !meta.outputs[path]) return;
    seen.add(path);
    for (const imported of meta.outputs[path]!.imports) {
      if (imported.kind === "import-statement") visit(imported.path);
    }
  };
  for (const output of outputs) visit(output);
  return seen;
}
