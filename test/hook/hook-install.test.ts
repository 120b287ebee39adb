import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { plantedKey } from "../git/helpers.js";
import { GIT_ENV, makeTempDir, makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { BIN, REPO_ROOT, runCli } from "../helpers/run-cli.js";
import { keywardenOnPath, tryCommit } from "./helpers.js";

const PREVIOUS_HOOK =
  '#!/bin/sh\necho "previous hook ran" >> "$(git rev-parse --git-dir)/previous-hook.log"\n';

function previousHookRuns(repo: TempRepo): number {
  const log = join(repo.dir, ".git", "previous-hook.log");
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0;
}

/** Blocked with a key (naming file:line), allowed without, allowed with keywarden:allow. */
function expectGuarding(repo: TempRepo, env: Record<string, string>) {
  const key = plantedKey();
  repo.write({ "config/app.env": `NAME=demo\nLLAMA_API_KEY=${key}\n` });
  const blocked = tryCommit(repo, "add a key", env);
  expect(blocked.exitCode).toBe(1);
  expect(blocked.output).toContain("config/app.env:2");
  expect(blocked.output).toContain("commit blocked");
  expect(blocked.output).not.toContain(key);

  repo.write({ "config/app.env": "NAME=demo\nLLAMA_API_KEY=from-the-environment\n" });
  expect(tryCommit(repo, "no key", env)).toMatchObject({ exitCode: 0 });

  repo.write({ "test/fixture.env": `LLAMA_API_KEY=${plantedKey()} # keywarden:allow\n` });
  expect(tryCommit(repo, "allowed example", env)).toMatchObject({ exitCode: 0 });
}

describe("keywarden hook install / uninstall", () => {
  it("installs a git hook that chains to the existing one, and uninstall restores it", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    const hook = join(repo.dir, ".git", "hooks", "pre-commit");
    writeFileSync(hook, PREVIOUS_HOOK, { mode: 0o755 });
    const env = { PATH: `${keywardenOnPath()}:${process.env.PATH}` };

    const install = await runCli(["hook", "install"], { cwd: repo.dir });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain(
      "Installed the keywarden pre-commit hook: .git/hooks/pre-commit",
    );
    expect(install.stdout).toContain("pre-commit.pre-keywarden");
    expect(readFileSync(`${hook}.pre-keywarden`, "utf8")).toBe(PREVIOUS_HOOK);

    expectGuarding(repo, env);
    expect(previousHookRuns(repo)).toBe(3);

    // Installing again updates in place and keeps the chained hook.
    expect((await runCli(["hook", "install", "--git"], { cwd: repo.dir })).stdout).toContain(
      "Updated",
    );
    expect(readFileSync(`${hook}.pre-keywarden`, "utf8")).toBe(PREVIOUS_HOOK);

    const uninstall = await runCli(["hook", "uninstall"], { cwd: repo.dir });
    expect(uninstall.exitCode).toBe(0);
    expect(readFileSync(hook, "utf8")).toBe(PREVIOUS_HOOK);
    expect(existsSync(`${hook}.pre-keywarden`)).toBe(false);
    repo.write({ "late.env": `KEY=${plantedKey()}\n` });
    expect(tryCommit(repo, "no guard any more", env).exitCode).toBe(0);
    expect(previousHookRuns(repo)).toBe(4);
  });

  it("honours core.hooksPath and blocks when keywarden cannot be found", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    repo.git("config", "core.hooksPath", ".githooks");
    const install = await runCli(["hook", "install"], { cwd: repo.dir });
    expect(install.stdout).toContain(".githooks/pre-commit");
    expect(existsSync(join(repo.dir, ".githooks", "pre-commit"))).toBe(true);
    expectGuarding(repo, { PATH: `${keywardenOnPath()}:${process.env.PATH}` });

    // No keywarden anywhere: the commit is stopped with a line saying why, not let through.
    repo.write({ "x.txt": "x\n" });
    const missing = tryCommit(repo, "no keywarden", { PATH: "/usr/bin:/bin" });
    expect(missing.exitCode).toBe(1);
    expect(missing.output).toContain("keywarden hook: keywarden is not installed");

    await runCli(["hook", "uninstall"], { cwd: repo.dir });
    expect(existsSync(join(repo.dir, ".githooks", "pre-commit"))).toBe(false);
  });

  it("adds itself to .husky/pre-commit in a husky repository, after the existing commands", async () => {
    const repo = makeTempRepo();
    repo.write({
      "package.json": JSON.stringify({
        name: "demo",
        private: true,
        devDependencies: { husky: "^9" },
      }),
      ".gitignore": "node_modules\n",
    });
    mkdirSync(join(repo.dir, "node_modules", ".bin"), { recursive: true });
    symlinkSync(join(REPO_ROOT, "node_modules", "husky"), join(repo.dir, "node_modules", "husky"));
    symlinkSync(BIN, join(repo.dir, "node_modules", ".bin", "keywarden"));
    repo.git("init", "-q"); // husky looks for .git in the current folder
    const { execFileSync } = await import("node:child_process");
    execFileSync(process.execPath, ["node_modules/husky/bin.js"], {
      cwd: repo.dir,
      env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" },
    });
    expect(repo.git("config", "core.hooksPath")).toBe(".husky/_");
    const existing = 'echo "previous hook ran" >> "$(git rev-parse --git-dir)/previous-hook.log"\n';
    repo.write({ ".husky/pre-commit": existing });
    repo.commit("base");
    expect(previousHookRuns(repo)).toBe(1);

    const install = await runCli(["hook", "install"], { cwd: repo.dir });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain(".husky/pre-commit");
    expect(install.stdout).not.toContain("not active");
    const huskyHook = readFileSync(join(repo.dir, ".husky", "pre-commit"), "utf8");
    expect(huskyHook.startsWith(existing)).toBe(true);

    // Found through node_modules/.bin, which husky also puts first on PATH.
    expectGuarding(repo, { PATH: process.env.PATH ?? "" });
    expect(previousHookRuns(repo)).toBe(4);

    await runCli(["hook", "uninstall"], { cwd: repo.dir });
    expect(readFileSync(join(repo.dir, ".husky", "pre-commit"), "utf8")).toBe(existing);
  });

  it("runs from a linked worktree, which has no node_modules, with the main worktree's keywarden", async () => {
    const repo = makeTempRepo({ ".gitignore": "node_modules\n", "README.md": "x\n" });
    repo.commit("base");
    mkdirSync(join(repo.dir, "node_modules", ".bin"), { recursive: true });
    symlinkSync(BIN, join(repo.dir, "node_modules", ".bin", "keywarden"));
    expect((await runCli(["hook", "install", "--git"], { cwd: repo.dir })).exitCode).toBe(0);
    const worktree = join(makeTempDir(), "feature");
    repo.git("worktree", "add", "-q", worktree);
    writeFileSync(join(worktree, "app.env"), `LLAMA_API_KEY=${plantedKey()}\n`);
    const { spawnSync } = await import("node:child_process");
    const git = (...args: string[]) =>
      spawnSync("git", args, {
        cwd: worktree,
        // No keywarden on PATH: only the main worktree's node_modules has it.
        env: { ...process.env, ...GIT_ENV, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
        encoding: "utf8",
      });
    git("add", "app.env");
    const commit = git("commit", "-q", "-m", "key");
    expect(commit.status).toBe(1);
    expect(commit.stderr).toContain("app.env:1");
  });

  it("keeps lines added to its git hook when it updates or removes its block", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "x\n" });
    expect((await runCli(["hook", "install", "--git"], { cwd: repo.dir })).exitCode).toBe(0);
    const hook = join(repo.dir, ".git", "hooks", "pre-commit");
    const added = 'echo "lint ran" >> "$(git rev-parse --git-dir)/lint.log"\n';
    appendFileSync(hook, added);
    const update = await runCli(["hook", "install", "--git"], { cwd: repo.dir });
    expect(update.stdout).toContain("Updated");
    expect(readFileSync(hook, "utf8").endsWith(added)).toBe(true);
    const uninstall = await runCli(["hook", "uninstall"], { cwd: repo.dir });
    expect(uninstall.stdout).toContain("kept the lines added to it since install");
    const left = readFileSync(hook, "utf8");
    expect(left).toContain(added);
    expect(left).not.toContain("keywarden staged");
  });

  it("ends its hook with keywarden's exit code, whatever lines follow its block, and an update rewrites an older block", async () => {
    const env = { PATH: `${keywardenOnPath()}:${process.env.PATH}` };
    // A line a team adds after the block: it exits 0, and must not decide the commit.
    const lint = 'echo "lint ran"\n';
    let attempt = 0;
    const blockedDespiteLine = (repo: TempRepo) => {
      const file = `config/app${++attempt}.env`;
      repo.write({ [file]: `LLAMA_API_KEY=${plantedKey()}\n` });
      const blocked = tryCommit(repo, "add a key", env);
      expect(blocked.output).toContain("commit blocked");
      expect(blocked.exitCode).toBe(1);
      // The line still runs when keywarden lets the commit through.
      repo.write({ [file]: "LLAMA_API_KEY=from-the-environment\n" });
      const clean = tryCommit(repo, "no key", env);
      expect(clean).toMatchObject({ exitCode: 0, output: expect.stringContaining("lint ran") });
    };

    const plain = makeTempRepo();
    plain.commit("base", { "README.md": "x\n" });
    expect((await runCli(["hook", "install", "--git"], { cwd: plain.dir })).exitCode).toBe(0);
    const plainHook = join(plain.dir, ".git", "hooks", "pre-commit");
    appendFileSync(plainHook, lint);
    blockedDespiteLine(plain);

    // A hook written before the block ended the hook on failure: install again rewrites it.
    const older = readFileSync(plainHook, "utf8").replaceAll(" || exit $?\n", "\n");
    expect(older).toContain("  keywarden staged\n");
    writeFileSync(plainHook, older);
    plain.write({ "config/old.env": `LLAMA_API_KEY=${plantedKey()}\n` });
    expect(tryCommit(plain, "let through by the older block", env).exitCode).toBe(0);
    const update = await runCli(["hook", "install", "--git"], { cwd: plain.dir });
    expect(update.stdout).toContain("Updated");
    expect(readFileSync(plainHook, "utf8")).toContain("  keywarden staged || exit $?\n");
    expect(readFileSync(plainHook, "utf8").endsWith(lint)).toBe(true);
    blockedDespiteLine(plain);

    const hooksPath = makeTempRepo();
    hooksPath.commit("base", { "README.md": "x\n" });
    hooksPath.git("config", "core.hooksPath", ".githooks");
    expect((await runCli(["hook", "install"], { cwd: hooksPath.dir })).exitCode).toBe(0);
    appendFileSync(join(hooksPath.dir, ".githooks", "pre-commit"), lint);
    blockedDespiteLine(hooksPath);

    // husky runs its hooks with sh -e; the block holds without it too.
    const husky = makeTempRepo();
    husky.commit("base", { "README.md": "x\n" });
    expect((await runCli(["hook", "install", "--husky"], { cwd: husky.dir })).exitCode).toBe(0);
    const huskyHook = join(husky.dir, ".husky", "pre-commit");
    appendFileSync(huskyHook, lint);
    husky.write({ "config/app.env": `LLAMA_API_KEY=${plantedKey()}\n` });
    husky.git("add", "config/app.env");
    const { spawnSync } = await import("node:child_process");
    const run = spawnSync("sh", [huskyHook], {
      cwd: husky.dir,
      env: { ...process.env, ...GIT_ENV, ...env, CI: "" },
      encoding: "utf8",
    });
    expect(run.stderr).toContain("commit blocked");
    expect(run.status).toBe(1);
  });

  it("brings the previous hook back as it was when lines were added to its hook, keeping those lines beside it", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "x\n" });
    const hooks = join(repo.dir, ".git", "hooks");
    const hook = join(hooks, "pre-commit");
    writeFileSync(hook, PREVIOUS_HOOK);
    chmodSync(hook, 0o750);
    expect((await runCli(["hook", "install", "--git"], { cwd: repo.dir })).exitCode).toBe(0);
    const added = 'echo "lint ran" >> "$(git rev-parse --git-dir)/lint.log"\n';
    appendFileSync(hook, added);

    const uninstall = await runCli(["hook", "uninstall"], { cwd: repo.dir });
    expect(uninstall.exitCode).toBe(0);
    expect(uninstall.stdout).toBe(
      "Removed the keywarden hook and restored the previous one: .git/hooks/pre-commit; the lines added to keywarden's hook since install are kept, not run, in .git/hooks/pre-commit.keywarden-edited: copy them into .git/hooks/pre-commit to keep running them.\n",
    );
    expect(readFileSync(hook, "utf8")).toBe(PREVIOUS_HOOK);
    expect(statSync(hook).mode & 0o777).toBe(0o750);
    expect(
      readdirSync(hooks)
        .filter((name) => name.startsWith("pre-commit") && !name.endsWith(".sample"))
        .sort(),
    ).toEqual(["pre-commit", "pre-commit.keywarden-edited"]);
    const kept = readFileSync(join(hooks, "pre-commit.keywarden-edited"), "utf8");
    expect(kept.endsWith(added)).toBe(true);
    expect(kept).not.toContain("keywarden staged");

    // The previous hook runs again, as git's pre-commit, and keywarden no longer does.
    repo.write({ "late.env": `LLAMA_API_KEY=${plantedKey()}\n` });
    const env = { PATH: `${keywardenOnPath()}:${process.env.PATH}` };
    expect(tryCommit(repo, "no guard any more", env).exitCode).toBe(0);
    expect(previousHookRuns(repo)).toBe(1);
  });

  it("names a folder in the place of a hook in one line, exit 2", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "x\n" });
    mkdirSync(join(repo.dir, ".git", "hooks", "pre-commit"));
    for (const action of ["install", "uninstall"]) {
      const result = await runCli(["hook", action, "--git"], { cwd: repo.dir });
      expect(result.exitCode, action).toBe(2);
      expect(result.stderr, action).toBe(
        `keywarden: .git/hooks/pre-commit: cannot read it (a folder is in its place): move it away, then run keywarden hook ${action} again\n`,
      );
    }
    mkdirSync(join(repo.dir, ".husky", "pre-commit"), { recursive: true });
    const husky = await runCli(["hook", "install", "--husky"], { cwd: repo.dir });
    expect(husky.exitCode).toBe(2);
    expect(husky.stderr).toBe(
      "keywarden: .husky/pre-commit: cannot read it (a folder is in its place): move it away, then run keywarden hook install again\n",
    );
  });

  it("finds its hook where `pre-commit install` moved it (pre-commit.legacy) and takes it out", async () => {
    const repo = makeTempRepo();
    writeFileSync(join(repo.dir, ".git", "hooks", "pre-commit"), PREVIOUS_HOOK, { mode: 0o755 });
    await runCli(["hook", "install", "--git"], { cwd: repo.dir });
    const hooks = join(repo.dir, ".git", "hooks");
    // What the framework's install does with a hook it finds.
    const { renameSync } = await import("node:fs");
    renameSync(join(hooks, "pre-commit"), join(hooks, "pre-commit.legacy"));
    const framework = "#!/bin/sh\n# File generated by pre-commit: https://pre-commit.com\n";
    writeFileSync(join(hooks, "pre-commit"), framework, { mode: 0o755 });
    const uninstall = await runCli(["hook", "uninstall"], { cwd: repo.dir });
    expect(uninstall.stdout).toContain("pre-commit.legacy");
    expect(readFileSync(join(hooks, "pre-commit"), "utf8")).toBe(framework);
    // The hook keywarden had chained to is where the framework runs it from.
    expect(readFileSync(join(hooks, "pre-commit.legacy"), "utf8")).toBe(PREVIOUS_HOOK);
  });

  it("refuses a core.hooksPath from the global git config, whose hooks every repository runs", async () => {
    const repo = makeTempRepo();
    const home = makeTempDir();
    const globalConfig = join(home, "gitconfig");
    writeFileSync(globalConfig, `[core]\n\thooksPath = ${join(home, "hooks")}\n`);
    const env = { GIT_CONFIG_GLOBAL: globalConfig };
    const refused = await runCli(["hook", "install"], { cwd: repo.dir, env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("core.hooksPath is set in the global git config");
    expect(existsSync(join(home, "hooks"))).toBe(false);
    // Set for this repository, it wins, and the hook goes there.
    repo.git("config", "core.hooksPath", ".githooks");
    const installed = await runCli(["hook", "install"], { cwd: repo.dir, env });
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(existsSync(join(repo.dir, ".githooks", "pre-commit"))).toBe(true);
  });

  it("finds husky's folder from core.hooksPath: a custom folder, or a package's own", async () => {
    const repo = makeTempRepo();
    repo.write({ ".gitignore": "node_modules\n" });
    mkdirSync(join(repo.dir, "node_modules", ".bin"), { recursive: true });
    symlinkSync(BIN, join(repo.dir, "node_modules", ".bin", "keywarden"));
    const { execFileSync } = await import("node:child_process");
    // As husky's docs show: `husky .config/husky`, which sets core.hooksPath to .config/husky/_.
    execFileSync(
      process.execPath,
      [join(REPO_ROOT, "node_modules/husky/bin.js"), ".config/husky"],
      {
        cwd: repo.dir,
        env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" },
      },
    );
    expect(repo.git("config", "core.hooksPath")).toBe(".config/husky/_");
    repo.commit("base");

    const install = await runCli(["hook", "install"], { cwd: repo.dir });
    expect(install.stdout).toContain("Added keywarden staged in .config/husky/pre-commit.");
    expect(install.stdout).not.toContain("not active");
    expect(existsSync(join(repo.dir, ".husky"))).toBe(false);
    expectGuarding(repo, { PATH: process.env.PATH ?? "" });

    const uninstall = await runCli(["hook", "uninstall"], { cwd: repo.dir });
    expect(uninstall.stdout).toContain("Removed .config/husky/pre-commit");
    expect(existsSync(join(repo.dir, ".config/husky/pre-commit"))).toBe(false);
  });

  it("gives back a husky hook without a final newline byte for byte", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    repo.git("config", "core.hooksPath", ".husky/_");
    const existing = "echo A\necho B";
    repo.write({ ".husky/pre-commit": existing });
    const hook = join(repo.dir, ".husky", "pre-commit");

    expect((await runCli(["hook", "install", "--husky"], { cwd: repo.dir })).exitCode).toBe(0);
    expect(readFileSync(hook, "utf8")).toMatch(/^echo A\necho B\n# >>> keywarden/);
    expect((await runCli(["hook", "uninstall"], { cwd: repo.dir })).exitCode).toBe(0);
    expect(readFileSync(hook, "utf8")).toBe(existing);
  });

  it("writes the pre-commit framework config and takes it out again", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    const original =
      "# my hooks\nrepos:\n  - repo: local\n    hooks:\n      - id: lint # keep me\n        name: lint\n        entry: true\n        language: system\n";
    repo.write({ ".pre-commit-config.yaml": original });
    const install = await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain("pre-commit install");
    const config = readFileSync(join(repo.dir, ".pre-commit-config.yaml"), "utf8");
    expect(config).toContain("# keep me");
    expect(config).toMatch(
      /- repo: https:\/\/\S+\n\s+rev: v\d+\.\d+\.\d+\n\s+hooks:\n\s+- id: keywarden/,
    );
    expect((await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir })).stdout).toContain(
      "already",
    );
    await runCli(["hook", "uninstall", "--pre-commit"], { cwd: repo.dir });
    expect(readFileSync(join(repo.dir, ".pre-commit-config.yaml"), "utf8")).toBe(original);
  });

  it("adds its pre-commit entry as text, in the list's own indentation or flow style", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    const config = join(repo.dir, ".pre-commit-config.yaml");
    const original =
      "# my config\ndefault_stages: [pre-commit]\nrepos:\n- repo: https://github.com/pre-commit/pre-commit-hooks\n  rev: v4.5.0\n  hooks:\n  - id: trailing-whitespace   # trailing\n";
    repo.write({ ".pre-commit-config.yaml": original });
    await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir });
    const installed = readFileSync(config, "utf8");
    expect(installed.startsWith(original)).toBe(true);
    expect(installed.slice(original.length)).toMatch(
      /^- repo: https:\/\/\S+\n {2}rev: v\S+\n {2}hooks:\n {4}- id: keywarden\n$/,
    );

    repo.write({ ".pre-commit-config.yaml": "repos: []\n" });
    await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir });
    expect(readFileSync(config, "utf8")).toMatch(
      /^repos: \[\{repo: https:\/\/\S+, rev: v\S+, hooks: \[\{id: keywarden\}\]\}\]\n$/,
    );
  });

  it.each([
    [
      "comments, flow lists and dashes at column 0",
      "# my config\ndefault_stages: [pre-commit]\nrepos:\n- repo: https://github.com/pre-commit/pre-commit-hooks\n  rev: v4.5.0\n  hooks:\n  - id: trailing-whitespace   # trailing\n",
    ],
    ["an empty flow list", "repos: []\n"],
    ["a flow list and a comment", "repos: [ {repo: local, hooks: []} ]  # more to come\n"],
    ["no final newline", "repos:\n    -   repo: local\n        hooks: []"],
    ["keys after the list", "repos:\n  - repo: local\n    hooks: []\n\n# then\nfail_fast: true\n"],
    ["no repos yet", "# hooks to come\n"],
  ])(
    "takes its pre-commit entry out of a config with %s on a plain uninstall, byte for byte",
    async (_name, original) => {
      const repo = makeTempRepo();
      repo.commit("base", { "README.md": "demo\n", ".pre-commit-config.yaml": original });
      const config = join(repo.dir, ".pre-commit-config.yaml");
      const install = await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir });
      expect(install.exitCode, install.stderr).toBe(0);
      const before = parse(original) ?? {};
      expect(parse(readFileSync(config, "utf8"))).toEqual({
        ...before,
        repos: [
          ...(before.repos ?? []),
          {
            repo: expect.stringMatching(/^https:/),
            rev: expect.stringMatching(/^v/),
            hooks: [{ id: "keywarden" }],
          },
        ],
      });

      const uninstall = await runCli(["hook", "uninstall"], { cwd: repo.dir });
      expect(uninstall.exitCode).toBe(0);
      expect(uninstall.stdout).toBe("Removed the keywarden hook from .pre-commit-config.yaml.\n");
      expect(readFileSync(config, "utf8")).toBe(original);
    },
  );

  it("deletes the .pre-commit-config.yaml it created on a plain uninstall", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    const config = join(repo.dir, ".pre-commit-config.yaml");
    expect((await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir })).exitCode).toBe(0);
    expect(readFileSync(config, "utf8")).toContain("- id: keywarden");
    const uninstall = await runCli(["hook", "uninstall"], { cwd: repo.dir });
    expect(uninstall.stdout).toContain("Removed .pre-commit-config.yaml");
    expect(existsSync(config)).toBe(false);
  });

  it("names the line of a .pre-commit-config.yaml that is not valid YAML, in one line, exit 2", async () => {
    const repo = makeTempRepo();
    const original = "repos:\n  - repo: local\n    hooks: [\n";
    repo.commit("base", { ".pre-commit-config.yaml": original });
    const install = await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir });
    expect(install.exitCode).toBe(2);
    expect(install.stderr).toMatch(
      /^keywarden: \.pre-commit-config\.yaml:4: not valid YAML: [^\n]*[^:\n]\n$/,
    );
    expect(readFileSync(join(repo.dir, ".pre-commit-config.yaml"), "utf8")).toBe(original);
  });

  it.each([
    ["a list", "- a\n"],
    ["a string", "just a string\n"],
  ])(
    "refuses a .pre-commit-config.yaml whose top level is %s with one line, exit 2",
    async (_name, original) => {
      const repo = makeTempRepo();
      repo.commit("base", { ".pre-commit-config.yaml": original });
      const install = await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir });
      expect(install.exitCode).toBe(2);
      expect(install.stderr).toBe(
        "keywarden: .pre-commit-config.yaml: the top level is not a mapping (repos: ...)\n",
      );
      expect(readFileSync(join(repo.dir, ".pre-commit-config.yaml"), "utf8")).toBe(original);
    },
  );

  it("exits 2 with one line outside a repository and for two methods at once", async () => {
    const repo = makeTempRepo();
    const both = await runCli(["hook", "install", "--git", "--husky"], { cwd: repo.dir });
    expect(both.exitCode).toBe(2);
    expect(both.stderr.split("\n")[0]).toBe(
      "keywarden: choose one of --husky, --git, --pre-commit",
    );
    const { makeTempDir } = await import("../helpers/git-repo.js");
    const dir = makeTempDir();
    const outside = await runCli(["hook", "install"], {
      cwd: dir,
      env: { GIT_CEILING_DIRECTORIES: dir },
    });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toBe(`keywarden: not a git repository: ${dir}\n`);
  });

  it("names what is wrong with a repository it cannot use: bare, or a broken config", async () => {
    const repo = makeTempRepo();
    const bare = join(repo.dir, "bare.git");
    repo.git("init", "-q", "--bare", bare);
    for (const command of [["hook", "install"], ["staged"]]) {
      const result = await runCli(command, { cwd: bare });
      expect(result.exitCode, command.join(" ")).toBe(2);
      expect(result.stderr, command.join(" ")).toMatch(
        /^keywarden: [^\n]*a bare repository[^\n]*\n$/,
      );
    }
    appendFileSync(join(repo.dir, ".git", "config"), "[core\n");
    for (const command of [["hook", "install"], ["hook", "uninstall"], ["staged"]]) {
      const result = await runCli(command, { cwd: repo.dir });
      expect(result.exitCode, command.join(" ")).toBe(2);
      expect(result.stderr, command.join(" ")).toMatch(
        /^keywarden: git [a-z-]+ failed: bad config line \d+ in file \.git\/config\n$/,
      );
    }
  });
});
