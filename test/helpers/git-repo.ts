import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { onTestFinished } from "vitest";

/** Fixed identity and clock, no signing, no background gc: repositories are reproducible. */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_AUTHOR_NAME: "Ada Tester",
  GIT_AUTHOR_EMAIL: "ada@example.test",
  GIT_COMMITTER_NAME: "Ada Tester",
  GIT_COMMITTER_EMAIL: "ada@example.test",
  GIT_AUTHOR_DATE: "2026-01-02T03:04:05Z",
  GIT_COMMITTER_DATE: "2026-01-02T03:04:05Z",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

export interface TempRepo {
  readonly dir: string;
  /** Runs git in the repository and returns its trimmed output. */
  git(...args: string[]): string;
  /** Writes files ({path: content}), creating folders. */
  write(files: Readonly<Record<string, string | Buffer>>): void;
  /** Writes files, stages everything and commits; returns the new commit id. */
  commit(message: string, files?: Readonly<Record<string, string | Buffer>>): string;
}

export function makeTempDir(prefix = "keywarden-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new git repository in a temp dir (branch main), removed after the test. */
export function makeTempRepo(files: Readonly<Record<string, string | Buffer>> = {}): TempRepo {
  const dir = makeTempDir("keywarden-repo-");
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: { ...process.env, ...GIT_ENV },
      encoding: "utf8",
    }).trim();
  git("init", "-q", "-b", "main");
  git("config", "commit.gpgsign", "false");
  git("config", "gc.auto", "0");
  const write = (entries: Readonly<Record<string, string | Buffer>>) => {
    for (const [path, content] of Object.entries(entries)) {
      const absolute = join(dir, path);
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, content);
    }
  };
  const commit = (message: string, entries: Readonly<Record<string, string | Buffer>> = {}) => {
    write(entries);
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    return git("rev-parse", "HEAD");
  };
  write(files);
  return { dir, git, write, commit };
}
