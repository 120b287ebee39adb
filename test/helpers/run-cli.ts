import { spawn } from "node:child_process";
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/keywarden.js", import.meta.url));

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunCliOptions {
  readonly cwd: string;
  readonly input?: string | Buffer;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Kill the CLI after this many ms (exit code -1), so a hang fails its test and leaves no process. */
  readonly timeoutMs?: number;
}

/**
 * Runs the built CLI as a child process, the way a user does. CI markers, the user's global
 * git config and global ignore file are cleared (unless `env` names them) so results do not
 * depend on the machine.
 */
export function runCli(args: readonly string[], options: RunCliOptions): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...options.env })) {
    if (value !== undefined) env[key] = value;
  }
  for (const key of ["CI", "GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR"])
    if (!(options.env && key in options.env)) delete env[key];
  for (const key of Object.keys(env))
    if (key.startsWith("KEYWARDEN_") && !(options.env && key in options.env)) delete env[key];
  env.GIT_CONFIG_GLOBAL = options.env?.GIT_CONFIG_GLOBAL ?? "/dev/null";
  env.GIT_CONFIG_NOSYSTEM = "1";
  // git's default global ignore file ($XDG_CONFIG_HOME/git/ignore) is the machine's too.
  env.XDG_CONFIG_HOME = options.env?.XDG_CONFIG_HOME ?? "/nonexistent/keywarden-test-config";
  return runNode([BIN, ...args], {
    cwd: options.cwd,
    env,
    input: options.input ?? "",
    timeoutMs: options.timeoutMs,
  });
}

/** Runs `node <args>` to its end with this environment and input; collects what it printed. */
export function runNode(
  args: readonly string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    input?: string | Buffer;
    timeoutMs?: number;
  },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/**
 * The environment that runs the CLI as nobody when the tests run as root, for whom a folder's
 * mode holds (root reads any folder); `dir` gets `mode` so that nobody can work in it.
 */
export function nobodyEnv(dir: string, mode: number): Record<string, string> {
  if (process.getuid?.() !== 0) return {};
  chmodSync(dir, mode);
  return {
    NODE_OPTIONS: "--import=data:text/javascript,process.setgid(65534);process.setuid(65534)",
  };
}
