import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GIT_ENV, makeTempDir, type TempRepo } from "../helpers/git-repo.js";
import { BIN } from "../helpers/run-cli.js";

/** A folder holding a `keywarden` command that runs the built CLI, to put on PATH. */
export function keywardenOnPath(): string {
  const dir = makeTempDir("keywarden-bin-");
  const shim = join(dir, "keywarden");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

export interface CommitResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Stages everything and runs a real `git commit` (hooks included). */
export function tryCommit(
  repo: TempRepo,
  message: string,
  env: Readonly<Record<string, string>> = {},
): CommitResult {
  repo.git("add", "-A");
  const result = spawnSync("git", ["commit", "-q", "-m", message], {
    cwd: repo.dir,
    env: { ...process.env, ...GIT_ENV, CI: "", ...env },
    encoding: "utf8",
  });
  return { exitCode: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
