import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandExample } from "../../src/config/example-template.js";
import {
  type CliMetafile,
  mainOutput,
  readCliMetafile,
  staticClosure,
} from "../helpers/cli-bundle.js";
import { makeTempDir, makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { type CliResult, REPO_ROOT, runCli } from "../helpers/run-cli.js";

/** File names of the built CLI's outputs that hold yargs or the libraries only it uses. */
function yargsOutputs(meta: CliMetafile): string[] {
  return Object.keys(meta.outputs)
    .filter((path) =>
      Object.keys(meta.outputs[path]!.inputs).some((input) =>
        /node_modules\/(yargs|yargs-parser|cliui|y18n)\//.test(input),
      ),
    )
    .map((path) => basename(path));
}

interface Run extends CliResult {
  /** File names of the modules of dist/cli the process loaded. */
  readonly loaded: readonly string[];
  /** Node's own modules the process loaded (`crypto`, `child_process`, ...). */
  readonly builtins: readonly string[];
}

/**
 * Runs the built CLI with a module loader hook that lists every module it loads, to tell
 * which path, fast or yargs, read the command line.
 */
async function runListingModules(args: readonly string[], cwd: string): Promise<Run> {
  const dir = makeTempDir("keywarden-loads-");
  const log = join(dir, "loaded.txt");
  const builtinsLog = join(dir, "builtins.txt");
  writeFileSync(log, "");
  writeFileSync(builtinsLog, "");
  writeFileSync(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, nextLoad) {
  appendFileSync(log, url + "\\n");
  return nextLoad(url, context);
}
`,
  );
  writeFileSync(
    join(dir, "register.mjs"),
    `import { writeFileSync } from "node:fs";
import { register } from "node:module";
register(new URL("./hooks.mjs", import.meta.url), { data: { log: ${JSON.stringify(log)} } });
process.on("exit", () => writeFileSync(${JSON.stringify(builtinsLog)}, process.moduleLoadList.join("\\n")));
`,
  );
  const result = await runCli(args, {
    cwd,
    env: { NODE_OPTIONS: `--import=${join(dir, "register.mjs")}` },
  });
  const distCli = `${join(REPO_ROOT, "dist/cli")}/`;
  const loaded = readFileSync(log, "utf8")
    .split("\n")
    .filter((url) => url.startsWith("file:") && new URL(url).pathname.startsWith(distCli))
    .map((url) => basename(new URL(url).pathname));
  const builtins = readFileSync(builtinsLog, "utf8")
    .split("\n")
    .flatMap((entry) => /^NativeModule ([\w/]+)$/.exec(entry)?.slice(1) ?? []);
  return { ...result, loaded, builtins };
}

/**
 * The same command line read by yargs: a number flag at its default changes nothing, and the
 * fast path leaves number flags to yargs.
 */
function throughYargs(args: readonly string[]): string[] {
  return [...args, "--verify-concurrency", "8"];
}

/** What a run answered, with the text report's scan time taken out. */
function answer({ exitCode, stdout, stderr }: CliResult): CliResult {
  return { exitCode, stdout: stdout.replace(/ in \d+ ms\./g, " in N ms."), stderr };
}

/** A repository with one committed file and a staged change adding `added`. */
function repoWithStaged(added: string): TempRepo {
  const repo = makeTempRepo();
  repo.commit("base", { "README.md": "demo\n" });
  repo.write({ "config/app.env": `# settings\nNAME=demo\n${added}\n` });
  repo.git("add", "-A");
  return repo;
}

const key = () => expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;

describe("keywarden staged without yargs", () => {
  it("never loads yargs from the entry for the hook's command line", () => {
    const meta = readCliMetafile();
    const yargsFiles = yargsOutputs(meta);
    expect(yargsFiles.length).toBeGreaterThan(0);
    const seen = staticClosure(meta, mainOutput(meta));
    expect([...seen].map((path) => basename(path)).filter((f) => yargsFiles.includes(f))).toEqual(
      [],
    );
  });

  it("answers as the yargs path does, without loading yargs, when a key is staged", async () => {
    const repo = repoWithStaged(`LLAMA_API_KEY=${key()}`);
    const yargsFiles = yargsOutputs(readCliMetafile());
    const flagSets: (readonly string[])[] = [
      [],
      ["--quiet"],
      ["--format", "json"],
      ["-f", "json", "--no-color", "-q"],
      ["--verbose", "--color", "--report-unused-ignores"],
    ];
    for (const flags of flagSets) {
      const args = ["staged", ...flags];
      const fast = await runListingModules(args, repo.dir);
      const slow = await runListingModules(throughYargs(args), repo.dir);
      expect(
        fast.loaded.filter((file) => yargsFiles.includes(file)),
        args.join(" "),
      ).toEqual([]);
      expect(
        slow.loaded.some((file) => yargsFiles.includes(file)),
        args.join(" "),
      ).toBe(true);
      expect(answer(fast), args.join(" ")).toEqual(answer(slow));
      expect(fast.exitCode, args.join(" ")).toBe(1);
    }
    const text = await runCli(["staged"], { cwd: repo.dir });
    expect(text.stderr).toMatch(/^keywarden: commit blocked: a secret is in the staged changes\n/);
    expect(text.stderr).toContain("config/app.env:3");
    const json = await runCli(["staged", "--format", "json"], { cwd: repo.dir });
    expect(
      (JSON.parse(json.stdout) as { findings: { path: string; line: number }[] }).findings.map(
        (finding) => [finding.path, finding.line],
      ),
    ).toEqual([["config/app.env", 3]]);
  });

  it("answers as the yargs path does when the change is clean", async () => {
    const repo = repoWithStaged("LOG_LEVEL=debug");
    for (const flags of [[], ["--quiet"], ["--format", "json"]]) {
      const args = ["staged", ...flags];
      const fast = await runCli(args, { cwd: repo.dir });
      expect(answer(fast), args.join(" ")).toEqual(
        answer(await runCli(throughYargs(args), { cwd: repo.dir })),
      );
      expect(fast.exitCode, args.join(" ")).toBe(0);
    }
  });

  it("reports a bad value with the same line and exit code, and with --debug a stack", async () => {
    const repo = repoWithStaged("LOG_LEVEL=debug");
    for (const flags of [
      ["--max-file-size", "banana"],
      ["--config", "missing.yaml"],
    ]) {
      const args = ["staged", ...flags];
      const fast = await runCli(args, { cwd: repo.dir });
      expect(answer(fast), args.join(" ")).toEqual(
        answer(await runCli(throughYargs(args), { cwd: repo.dir })),
      );
      expect(fast.exitCode).toBe(2);
      expect(fast.stderr.split("\n").filter(Boolean)).toHaveLength(1);

      const withDebug = [...args, "--debug"];
      const fastDebug = await runCli(withDebug, { cwd: repo.dir });
      const slowDebug = await runCli(throughYargs(withDebug), { cwd: repo.dir });
      // The stacks' frames differ by path; the message and the presence of a stack do not.
      const withoutFrames = (text: string) =>
        text
          .split("\n")
          .filter((line) => !/^\s+at /.test(line))
          .join("\n");
      expect(fastDebug.exitCode).toBe(2);
      expect(slowDebug.exitCode).toBe(2);
      expect(withoutFrames(fastDebug.stderr)).toBe(withoutFrames(slowDebug.stderr));
      expect(fastDebug.stderr.startsWith(fast.stderr)).toBe(true);
      expect(fastDebug.stderr).toMatch(/\n\s+at /);
    }
  });

  it("leaves unknown flags, bad choices and help to yargs, with their usual answers", async () => {
    const repo = repoWithStaged("LOG_LEVEL=debug");
    const unknown = await runCli(["staged", "--frobnicate"], { cwd: repo.dir });
    expect(answer(unknown)).toEqual({
      exitCode: 2,
      stdout: "",
      stderr: "keywarden: Unknown argument: --frobnicate\nRun keywarden --help for usage.\n",
    });
    const badFormat = await runCli(["staged", "--format", "xml"], { cwd: repo.dir });
    expect(badFormat.exitCode).toBe(2);
    // yargs writes this over two lines; an error is one.
    expect(badFormat.stderr).toMatch(
      /^keywarden: Invalid values: Argument: format, Given: "xml", Choices: .*\nRun keywarden --help for usage\.\n$/,
    );
    const help = await runListingModules(["staged", "--help"], repo.dir);
    expect(help.exitCode).toBe(0);
    expect(help.stderr).toBe("");
    expect(help.stdout).toMatch(/^keywarden staged \[paths\.\.\]\n/);
    for (const flag of [
      "--quiet",
      "--format",
      "--config",
      "--max-file-size",
      "--redact",
      "--verify",
    ])
      expect(help.stdout).toContain(flag);
    expect(help.loaded.some((file) => yargsOutputs(readCliMetafile()).includes(file))).toBe(true);
  });

  it("answers --version, and gitleaks' `version`, with package.json's version and no yargs", async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    const yargsFiles = yargsOutputs(readCliMetafile());
    for (const args of [["--version"], ["version"]]) {
      const run = await runListingModules(args, makeTempDir());
      expect(answer(run), args.join(" ")).toEqual({
        exitCode: 0,
        stdout: `${version}\n`,
        stderr: "",
      });
      expect(run.loaded.filter((file) => yargsFiles.includes(file))).toEqual([]);
    }
  });

  it("loads the hook's path as one module, which the other commands share", async () => {
    const repo = repoWithStaged("LOG_LEVEL=debug");
    const clean = await runListingModules(["staged"], repo.dir);
    expect(clean.exitCode).toBe(0);
    // The entry is one line re-exporting from the merged module, which holds the rest.
    expect([...new Set(clean.loaded)].sort()).toEqual(["hook-path.js", "main.js"]);
    // Hashing waits for something to hash: a clean commit loads no node:crypto.
    expect(clean.builtins).toContain("child_process");
    expect(clean.builtins).not.toContain("crypto");
    const blocked = await runListingModules(
      ["staged"],
      repoWithStaged(`LLAMA_API_KEY=${key()}`).dir,
    );
    expect(blocked.exitCode).toBe(1);
    expect(blocked.builtins).toContain("crypto");
    expect(readFileSync(join(REPO_ROOT, "dist/cli/main.js"), "utf8")).toMatch(
      /^export \{[^}]+\} from "\.\/chunks\/hook-path\.js";\n$/,
    );

    // A command outside the hook's path throws errors the entry knows as its own: one line and
    // exit 2, not an internal error.
    const missing = await runListingModules(["import", "gitleaks", "missing.toml"], repo.dir);
    expect(missing.loaded).toContain("hook-path.js");
    expect(missing.loaded.length).toBeGreaterThan(2);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe("keywarden: missing.toml: no such gitleaks config file\n");
  });

  it("reads the diff it started early when git ends before the config is loaded", async () => {
    // Hundreds of rules to compile: git has long exited, its output unread, when the scan reads it.
    const rules = Array.from(
      { length: 300 },
      (_, index) =>
        `  - id: acme-token-${index}\n    title: ACME token ${index}\n    provider: acme\n` +
        `    pattern: '(?<![A-Za-z0-9])acme${index}_(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])'\n` +
        `    keywords: [acme${index}_]`,
    );
    const repo = repoWithStaged(`LLAMA_API_KEY=${key()}`);
    repo.write({ ".keywarden.yaml": `rules:\n${rules.join("\n")}\n` });
    repo.git("add", ".keywarden.yaml");
    const result = await runCli(["staged", "--format", "json"], { cwd: repo.dir });
    expect(result.exitCode).toBe(1);
    expect(
      (JSON.parse(result.stdout) as { findings: { path: string; line: number }[] }).findings.map(
        (finding) => [finding.path, finding.line],
      ),
    ).toEqual([["config/app.env", 3]]);
  });

  it("stops the diff it started early when the scan fails before reading it", async () => {
    // More output than a pipe holds: git, unread, would wait for a reader, and hold the hook.
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    const lines = Array.from({ length: 40_000 }, (_, index) => `line ${index} of the change`);
    repo.write({ "big.txt": `${lines.join("\n")}\n`, ".keywarden.yaml": "rules: [\n" });
    repo.git("add", "big.txt");
    const broken = await runCli(["staged"], { cwd: repo.dir, timeoutMs: 20_000 });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/^keywarden: \.keywarden\.yaml:2: not valid YAML/);
    const missing = await runCli(["staged", "--config", "missing.yaml"], {
      cwd: repo.dir,
      timeoutMs: 20_000,
    });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe(
      "keywarden: missing.yaml: cannot read config file (no such file)\n",
    );
  });

  it("runs outside a repository with the same error either way", async () => {
    const dir = makeTempDir();
    const fast = await runCli(["staged", "-q"], { cwd: dir });
    expect(answer(fast)).toEqual(
      answer(await runCli(throughYargs(["staged", "-q"]), { cwd: dir })),
    );
    expect(fast.exitCode).toBe(2);
  });
});
