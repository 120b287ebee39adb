import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

interface JsonReport {
  findings: { ruleId: string; path: string }[];
}

const groqLine = () => `GROQ_API_KEY=${expandTemplate("gsk_{{alnum:52}}")}\n`;
const DISABLE_GROQ = "disable: [groq-api-key, generic-secret]\n";

async function foundPaths(args: readonly string[], cwd: string): Promise<string[]> {
  const result = await runCli([...args, "--format", "json"], { cwd });
  expect(result.stderr).toBe("");
  return (JSON.parse(result.stdout) as JsonReport).findings.map((f) => `${f.ruleId} ${f.path}`);
}

describe("config discovery", () => {
  it("stops at the repository's top: a config above the repository applies to neither scan nor staged", async () => {
    const outside = makeTempDir();
    writeFileSync(join(outside, ".keywarden.yaml"), DISABLE_GROQ);
    const dir = join(outside, "repo");
    mkdirSync(dir);
    // The repository lives inside the folder holding the stray config.
    execFileSync("git", ["init", "-q", dir]);
    writeFileSync(join(dir, "a.env"), groqLine());
    execFileSync("git", ["add", "a.env"], { cwd: dir });
    expect(await foundPaths(["scan", "."], dir)).toEqual(["groq-api-key a.env"]);
    const staged = await runCli(["staged", "-q"], { cwd: dir });
    expect(staged.exitCode).toBe(1);
    // A config at the top of the repository still applies from a subfolder.
    const repo = makeTempRepo();
    repo.write({ ".keywarden.yaml": DISABLE_GROQ, "sub/a.env": groqLine() });
    expect(await foundPaths(["scan", "."], join(repo.dir, "sub"))).toEqual([]);
  });

  it("outside any repository reads the scanned folder's config alone", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, ".keywarden.yaml"), DISABLE_GROQ);
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "a.env"), groqLine());
    expect(await foundPaths(["scan", "sub"], dir)).toEqual(["groq-api-key sub/a.env"]);
    expect(await foundPaths(["scan", "."], dir)).toEqual([]);
  });

  it("refuses paths under different configs in one line, and takes --config for all", async () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, "a"));
    mkdirSync(join(dir, "b"));
    writeFileSync(join(dir, "a", ".keywarden.yaml"), DISABLE_GROQ);
    writeFileSync(join(dir, "b", ".keywarden.yaml"), "useDefault: true\n");
    writeFileSync(join(dir, "b", "prod.env"), groqLine());
    for (const order of [
      ["a", "b"],
      ["b", "a"],
    ]) {
      const result = await runCli(["scan", ...order], { cwd: dir });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(
        /^keywarden: the paths given fall under different configs: .*--config\n$/,
      );
    }
    expect(await foundPaths(["scan", "b/prod.env", "b/.keywarden.yaml"], dir)).toEqual([
      "groq-api-key b/prod.env",
    ]);
    expect(await foundPaths(["scan", "a", "b", "-c", "b/.keywarden.yaml"], dir)).toEqual([
      "groq-api-key b/prod.env",
    ]);
  });

  it("refuses .keywarden.yaml and .keywarden.yml side by side, naming both", async () => {
    const repo = makeTempRepo({
      ".keywarden.yml": DISABLE_GROQ,
      ".keywarden.yaml": "maxFileSize: 5MB\n",
      "a.env": groqLine(),
    });
    const result = await runCli(["scan"], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/\.keywarden\.yaml and .*\.keywarden\.yml: two config files/);
  });
});

describe("a config that leaves no rule", () => {
  it("is warned about in one line, by every scanning command, as a gitleaks import gives it", async () => {
    const repo = makeTempRepo({ "a.env": groqLine() });
    repo.write({ ".gitleaks.toml": "[[allowlists]]\npaths = ['^vendor/']\n" });
    const imported = await runCli(["import", "gitleaks"], { cwd: repo.dir });
    expect(imported.exitCode, imported.stderr).toBe(0);
    repo.git("add", "a.env");
    const warning =
      "keywarden: warning: .keywarden.yaml leaves no rule to scan with (useDefault: false and no rules of its own, or every rule disabled): nothing can be found\n";
    for (const args of [["scan", "."], ["staged"], ["scan", ".", "-q"]]) {
      const result = await runCli(args, { cwd: repo.dir });
      expect(result.exitCode, args.join(" ")).toBe(0);
      expect(result.stderr, args.join(" ")).toBe(warning);
    }
    // From a subfolder the config is named from there.
    mkdirSync(join(repo.dir, "sub"));
    const below = await runCli(["scan", "."], { cwd: join(repo.dir, "sub") });
    expect(below.stderr).toBe(warning.replace(" .keywarden.yaml ", " ../.keywarden.yaml "));
    // With the built-in rules on, no word.
    writeFileSync(join(repo.dir, ".keywarden.yaml"), "useDefault: true\n");
    const on = await runCli(["scan", "."], { cwd: repo.dir });
    expect(on.exitCode).toBe(1);
    expect(on.stderr).toBe("");
  });
});

describe("config globs", () => {
  it("exclude the folders a gitignore user names, take files back with !, and refuse a \\", async () => {
    const repo = makeTempRepo({
      "vendor/lib.env": groqLine(),
      "sub/prod.env": groqLine(),
      "top.txt": groqLine(),
    });
    for (const glob of ["vendor", "vendor/", "/vendor/**"]) {
      repo.write({ ".keywarden.yaml": `exclude: ["${glob}", "**/*.env", "!sub/**"]\n` });
      expect(await foundPaths(["scan"], repo.dir)).toEqual([
        "groq-api-key sub/prod.env",
        "groq-api-key top.txt",
      ]);
    }
    repo.write({ ".keywarden.yaml": 'exclude:\n  - "*.snap"\n  - "vendor\\\\**"\n' });
    const refused = await runCli(["scan"], { cwd: repo.dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /^keywarden: \.keywarden\.yaml:3: field exclude\[1\]: a \\ in a glob/,
    );
  });

  it("give allow.paths' *.txt one meaning, alone or beside a glob with a slash", async () => {
    const acme = expandTemplate("acme_{{alnum:32}}");
    const rule = [
      "rules:",
      "  - id: acme-token",
      "    title: ACME token",
      "    provider: acme",
      "    pattern: 'acme_(?<secret>[A-Za-z0-9]{32})'",
      "    keywords: [acme_]",
      "    allow:",
    ].join("\n");
    const repo = makeTempRepo({ "a.txt": `${acme}\n`, "sub/b.txt": `${acme}\n` });
    repo.write({ ".keywarden.yaml": `${rule}\n      paths: ["*.txt"]\n` });
    const alone = await foundPaths(["scan"], repo.dir);
    repo.write({ ".keywarden.yaml": `${rule}\n      paths: ["*.txt", "other/**"]\n` });
    expect(await foundPaths(["scan"], repo.dir)).toEqual(alone);
    expect(alone).toEqual([]);
  });
});

describe("config excludes on files named on the command line", () => {
  it("leave them out of scan and staged, while .gitignore does not", async () => {
    const repo = makeTempRepo({
      ".keywarden.yaml": 'exclude: ["sub/**"]\n',
      ".gitignore": "ignored.env\n",
      "sub/a.env": groqLine(),
    });
    repo.commit("init");
    repo.write({ "ignored.env": groqLine() });
    expect(await foundPaths(["scan", "sub/a.env"], repo.dir)).toEqual([]);
    expect(await foundPaths(["staged", "sub/a.env"], repo.dir)).toEqual([]);
    expect(await foundPaths(["scan", "ignored.env"], repo.dir)).toEqual([
      "groq-api-key ignored.env",
    ]);
  });
});

describe("a config in a subfolder, for git sources", () => {
  it("reads its globs from its folder in staged and history, as scan does", async () => {
    const repo = makeTempRepo({
      "pkg/.keywarden.yaml": 'exclude: ["/fixtures/"]\nallow:\n  paths: ["/allowed.env"]\n',
    });
    repo.commit("config");
    repo.write({
      "pkg/fixtures/f.env": groqLine(),
      "pkg/allowed.env": groqLine(),
      "pkg/app.env": groqLine(),
      // Above the config's folder: its globs do not reach here.
      "fixtures/top.env": groqLine(),
    });
    repo.git("add", "-A");
    const pkg = join(repo.dir, "pkg");
    const expected = ["groq-api-key fixtures/top.env", "groq-api-key pkg/app.env"];
    expect(await foundPaths(["scan", "."], pkg)).toEqual(["groq-api-key app.env"]);
    expect(await foundPaths(["staged", "-q"], pkg)).toEqual(expected);
    repo.git("commit", "-q", "-m", "keys", "--no-verify");
    expect(await foundPaths(["history"], pkg)).toEqual(expected);
  });

  it("says that a .gitleaks.toml is not read where no keywarden config is found", async () => {
    const repo = makeTempRepo({
      ".gitleaks.toml": "[[rules]]\nid = 'x-token'\nregex = 'xtok_[a-z]{20}'\n",
      "sub/a.env": groqLine(),
    });
    repo.git("add", "-A");
    const note =
      "keywarden: note: .gitleaks.toml is gitleaks' config and is not read (its rules and allowlists do not apply); convert it with: keywarden import gitleaks .gitleaks.toml\n";
    const scan = await runCli(["scan", ".", "-f", "json"], { cwd: repo.dir });
    expect(scan.exitCode).toBe(1);
    expect(scan.stderr).toBe(note);
    // From a subfolder, the path is named from there.
    const sub = await runCli(["scan", "."], { cwd: join(repo.dir, "sub") });
    expect(sub.stderr).toContain("keywarden import gitleaks ../.gitleaks.toml\n");
    // The pre-commit hook says it when it blocks, as one of its lines.
    const staged = await runCli(["staged"], { cwd: repo.dir });
    expect(staged.exitCode).toBe(1);
    expect(staged.stderr).toContain(note);
    expect((await runCli(["scan", ".", "-q"], { cwd: repo.dir })).stderr).toBe("");
    // Converted, the note goes: keywarden's config is the one read.
    expect((await runCli(["import", "gitleaks"], { cwd: repo.dir })).exitCode).toBe(0);
    const after = await runCli(["scan", "."], { cwd: repo.dir });
    expect(after.stderr).not.toContain(".gitleaks.toml");
    // A clean commit passes quietly, note and all.
    repo.git("commit", "-q", "-m", "keys", "--no-verify");
    rmSync(join(repo.dir, ".keywarden.yaml"));
    repo.write({ "b.txt": "nothing\n" });
    repo.git("add", "b.txt");
    const clean = await runCli(["staged"], { cwd: repo.dir });
    expect(clean.exitCode).toBe(0);
    expect(clean.stderr).toBe("");
  });

  it("prints import's notes one line each, with the config's control characters shown", async () => {
    // A path regex holding a line break and an ESC (TOML's \n and \u001b): no glob says it.
    const repo = makeTempRepo({
      ".gitleaks.toml": '[[allowlists]]\npaths = ["x\\nforged line\\u001b]0;t\\u0007\\\\.md$"]\n',
    });
    const imported = await runCli(["import", "gitleaks"], { cwd: repo.dir });
    expect(imported.exitCode, imported.stderr).toBe(0);
    const lines = imported.stderr.trimEnd().split("\n");
    expect(
      lines.every((line) => line.startsWith("keywarden: ")),
      imported.stderr,
    ).toBe(true);
    expect(imported.stderr).toContain("x\\nforged line\\x1b\\]0;t\\x07");
    expect(imported.stderr).not.toContain("\u001b");
    expect(imported.stderr).not.toContain("\u0007");
  });
});
