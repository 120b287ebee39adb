import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runNode } from "../helpers/run-cli.js";

/**
 * Runs the committed Action bundle the way a runner does: from a copy of the Action's
 * repository as a runner downloads it (action.yml, package.json, rules/, dist/action/; no
 * node_modules, no other build output), with the GITHUB_* and INPUT_* variables set, a payload
 * file, and fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */

export interface ActionCopy {
  readonly dir: string;
  readonly entry: string;
  remove(): void;
}

/** A copy of the Action as the runner downloads it. */
export function copyAction(): ActionCopy {
  const dir = mkdtempSync(join(tmpdir(), "keywarden-action-"));
  for (const file of ["action.yml", "package.json"]) cpSync(join(REPO_ROOT, file), join(dir, file));
  cpSync(join(REPO_ROOT, "rules"), join(dir, "rules"), { recursive: true });
  mkdirSync(join(dir, "dist", "action"), { recursive: true });
  cpSync(join(REPO_ROOT, "dist", "action", "index.js"), join(dir, "dist", "action", "index.js"));
  return {
    dir,
    entry: join(dir, "dist", "action", "index.js"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ActionRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

export interface RunActionOptions {
  readonly action: ActionCopy;
  /** The checkout (GITHUB_WORKSPACE, and the process's working directory). */
  readonly workspace: string;
  readonly eventName: string;
  readonly payload: unknown;
  readonly apiUrl: string;
  readonly repository?: string;
  readonly sha?: string;
  /** Action inputs by name as in action.yml (`fail-on`); the runner's defaults fill the rest. */
  readonly inputs?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
}

/** What action.yml declares as defaults, as the runner passes them. */
const DEFAULT_INPUTS: Readonly<Record<string, string>> = {
  "github-token": "ghs_standintoken",
  config: "",
  "fail-on": "any",
  verify: "false",
  revoke: "false",
  "revoke-confirm": "false",
  comment: "true",
  "sarif-file": "keywarden.sarif",
  scan: "auto",
  redact: "true",
};

/** GITHUB_OUTPUT's format: `name=value` lines and `name<<DELIMITER` heredocs. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
      continue;
    }
    const eq = line.indexOf("=");
    if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return outputs;
}

export async function runBundledAction(options: RunActionOptions): Promise<ActionRun> {
  const runnerDir = mkdtempSync(join(tmpdir(), "keywarden-runner-"));
  const eventPath = join(runnerDir, "event.json");
  const outputPath = join(runnerDir, "output");
  const summaryPath = join(runnerDir, "summary.md");
  writeFileSync(eventPath, JSON.stringify(options.payload, null, 2));
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: runnerDir,
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: options.repository ?? "acme/app",
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    ...(options.sha ? { GITHUB_SHA: options.sha } : {}),
    ...options.env,
  };
  for (const [name, value] of Object.entries({ ...DEFAULT_INPUTS, ...options.inputs })) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }

  const { exitCode, stdout, stderr } = await runNode([options.action.entry], {
    cwd: options.workspace,
    env,
  });
  const outputs = parseOutputFile(readFileSync(outputPath, "utf8"));
  const summary = existsSync(summaryPath) ? readFileSync(summaryPath, "utf8") : "";
  rmSync(runnerDir, { recursive: true, force: true });
  return { exitCode, stdout, stderr, outputs, summary };
}
