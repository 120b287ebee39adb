import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plantedKey } from "../git/helpers.js";
import { GIT_ENV, makeTempRepo } from "../helpers/git-repo.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { tryCommit } from "./helpers.js";

/**
 * Debian's `pre-commit` tool installing keywarden from this repository's .pre-commit-hooks.yaml
 * (language: node: it clones the repository at a commit, npm installs, builds and packs it),
 * then guarding real commits. Slow on first install (npm), so the environment is shared.
 */

const hasPreCommit = spawnSync("pre-commit", ["--version"]).status === 0;
const reason = hasPreCommit
  ? ""
  : " (SKIPPED: the pre-commit tool is not installed: apt-get install pre-commit)";

describe.skipIf(!hasPreCommit)(
  `the pre-commit framework with .pre-commit-hooks.yaml${reason}`,
  () => {
    let work: string;
    let hookRepo: string;
    let rev: string;

    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), "keywarden-pre-commit-"));
      hookRepo = join(work, "keywarden");
      // The working tree as it is (tracked and new files, not ignored ones), as a repository.
      const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
        cwd: REPO_ROOT,
      })
        .toString("utf8")
        .split("\0")
        .filter((file) => file && !file.startsWith("node_modules/"));
      for (const file of files) {
        let content: Buffer;
        try {
          content = readFileSync(join(REPO_ROOT, file));
        } catch {
          continue; // listed but deleted meanwhile
        }
        mkdirSync(dirname(join(hookRepo, file)), { recursive: true });
        writeFileSync(join(hookRepo, file), content);
      }
      // Not makeTempRepo: it removes its folder when one test ends; this repository serves them all.
      const git = (...args: string[]) =>
        execFileSync("git", args, {
          cwd: hookRepo,
          env: { ...process.env, ...GIT_ENV },
          encoding: "utf8",
        }).trim();
      git("init", "-q", "-b", "main");
      git("add", "-A");
      git("commit", "-q", "-m", "snapshot");
      rev = git("rev-parse", "HEAD");
    });

    afterAll(() => rmSync(work, { recursive: true, force: true }));

    function env(): Record<string, string> {
      return {
        PRE_COMMIT_HOME: join(work, "pre-commit-home"),
        // Reuse npm's cache: the hook environment installs keywarden's dependencies.
        npm_config_prefer_offline: "true",
        npm_config_update_notifier: "false",
      };
    }

    it("blocks a commit adding a key, lets clean and keywarden:allow commits through", {
      timeout: 600_000,
    }, () => {
      const repo = makeTempRepo();
      repo.write({
        ".pre-commit-config.yaml": `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: keywarden\n`,
        "README.md": "demo\n",
      });
      const install = spawnSync("pre-commit", ["install"], {
        cwd: repo.dir,
        env: { ...process.env, ...GIT_ENV, ...env() },
        encoding: "utf8",
      });
      expect(install.status, install.stderr).toBe(0);
      const first = tryCommit(repo, "base", env());
      expect(first.exitCode, first.output).toBe(0);

      const key = plantedKey();
      repo.write({ "settings/prod.env": `MODE=prod\nLLAMA_API_KEY=${key}\n` });
      const blocked = tryCommit(repo, "add a key", env());
      expect(blocked.exitCode).toBe(1);
      expect(blocked.output).toContain("settings/prod.env:2");
      expect(blocked.output).not.toContain(key);

      repo.write({ "settings/prod.env": "MODE=prod\n" });
      expect(tryCommit(repo, "clean", env()).exitCode).toBe(0);

      repo.write({ "docs/example.env": `LLAMA_API_KEY=${plantedKey()} # keywarden:allow\n` });
      expect(tryCommit(repo, "allowed", env()).exitCode).toBe(0);
    });

    it("checks whole files with nothing staged: pre-commit run --all-files and --files, as CI runs them", {
      timeout: 600_000,
    }, () => {
      const repo = makeTempRepo();
      const key = plantedKey();
      repo.write({
        ".pre-commit-config.yaml": `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: keywarden\n`,
        "README.md": "demo\n",
        "deploy/prod.env": `MODE=prod\nLLAMA_API_KEY=${key}\n`,
      });
      repo.git("add", "-A");
      repo.git("commit", "-q", "--no-verify", "-m", "a key, committed past the hook");
      const run = (...args: string[]) =>
        spawnSync("pre-commit", ["run", ...args], {
          cwd: repo.dir,
          env: { ...process.env, ...GIT_ENV, ...env() },
          encoding: "utf8",
        });

      const all = run("--all-files");
      expect(all.status, all.stdout + all.stderr).toBe(1);
      expect(all.stdout).toContain("deploy/prod.env:2");
      expect(all.stdout).not.toContain(key);

      const clean = run("--files", "README.md");
      expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    });
  },
);
