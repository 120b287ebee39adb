import { dirname } from "node:path";
import { fileFragments } from "../sources/files.js";
import type { ScanRequest } from "./execute-scan.js";
import type { CliIo } from "./io.js";

/**
 * The source half of a scan of working-tree files and folders (none given: the current
 * directory), for every command that scans files: scan, baseline create, revoke without a report.
 */
export function filesScan(
  io: CliIo,
  paths: readonly string[] | undefined,
  gitignore: boolean,
): Pick<ScanRequest, "source" | "scanRoot" | "scanRoots" | "fragments"> {
  const roots = paths?.length ? paths : ["."];
  return {
    source: "files",
    // Ignore-file discovery starts from the first path given; the config must be every path's.
    scanRoot: roots[0]!,
    scanRoots: roots,
    fragments: (config, onSkip) =>
      fileFragments({
        cwd: io.cwd,
        paths: roots,
        exclude: config.exclude,
        ...(config.configFile !== undefined ? { root: dirname(config.configFile) } : {}),
        maxFileSize: config.maxFileSize,
        gitignore,
        onSkip,
      }),
  };
}
