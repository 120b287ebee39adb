import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./config/load-rules.js";

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
}

let cached: ToolInfo | undefined;

/** Name and version from package.json, passed to reporters (SARIF, JSON) rather than hard-coded. */
export function toolInfo(): ToolInfo {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as {
      name: string;
      version: string;
      homepage?: string;
    };
    cached = {
      name: pkg.name,
      version: pkg.version,
      informationUri: pkg.homepage ?? "https://github.com/keywarden/keywarden",
    };
  }
  return cached;
}

/** What keywarden calls itself in the User-Agent of every provider and GitHub request. */
export function userAgent(tool: ToolInfo = toolInfo()): string {
  return `${tool.name}/${tool.version}`;
}
