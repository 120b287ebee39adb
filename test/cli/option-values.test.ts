import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shouldColor } from "../../src/cli/execute-scan.js";
import { expandTemplate } from "../../src/config/example-template.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

const groqLine = () => `GROQ_API_KEY=${expandTemplate("gsk_{{alnum:52}}")}\n`;

describe("an option given twice", () => {
  it("takes its last value, in every command, rather than fail", async () => {
    const repo = makeTempRepo({
      "a.env": groqLine(),
      "x.yaml": "",
      "y.yaml": "useDefault: true\n",
    });
    const cwd = repo.dir;
    const csv = await runCli(["scan", "a.env", "-f", "json", "-f", "csv"], { cwd });
    expect(csv.stderr).toBe("");
    expect(csv.stdout).toMatch(/^rule_id,/);
    for (const args of [
      ["-c", "x.yaml", "-c", "y.yaml"],
      ["--max-file-size", "1MB", "--max-file-size", "2MB"],
      ["-o", "first.txt", "-o", "second.json", "-f", "json"],
    ]) {
      const result = await runCli(["scan", "a.env", ...args], { cwd });
      expect(result.stderr, args.join(" ")).not.toContain("internal error");
      expect(result.exitCode, args.join(" ")).toBe(1);
    }
    repo.git("add", "a.env");
    const staged = await runCli(["staged", "-f", "csv", "-f", "json", "-q"], { cwd });
    expect(JSON.parse(staged.stdout).findings).toHaveLength(1);
    const saved = await runCli(["report", "second.json", "-f", "csv", "-f", "markdown"], { cwd });
    expect(saved.stderr).toBe("");
    expect(saved.stdout).toContain("keywarden");
    writeFileSync(
      join(cwd, ".gitleaks.toml"),
      "[[rules]]\nid = 'x-token'\nregex = 'xtok_[a-z]{20}'\n",
    );
    const imported = await runCli(["import", "gitleaks", "-o", "a.yaml", "-o", "b.yaml"], { cwd });
    expect(imported.stderr).toContain("converted to b.yaml");
  });
});

describe("an unknown option", () => {
  it("is named once, as typed, with the option it most likely meant", async () => {
    const cwd = makeTempDir();
    const cases: [string[], string][] = [
      [["history", "--max-cont", "3"], "Unknown argument: --max-cont (did you mean --max-count?)"],
      [["scan", "--no-redcat"], "Unknown argument: --no-redcat (did you mean --no-redact?)"],
      [["scan", "--formt=json"], "Unknown argument: --formt (did you mean --format?)"],
      [["scan", "--frobnicate"], "Unknown argument: --frobnicate"],
      [["scan", "-Z"], "Unknown argument: -Z"],
      [
        ["scan", "--verfy", "--no-redcat"],
        "Unknown arguments: --verfy (did you mean --verify?), --no-redcat (did you mean --no-redact?)",
      ],
      // Another scanner's spelling: keywarden's own, where the command has it.
      [
        ["scan", "--report-path=r.json"],
        "Unknown argument: --report-path (gitleaks'; in keywarden: --output)",
      ],
      [
        ["scan", "--only-verified"],
        "Unknown argument: --only-verified (trufflehog's; in keywarden: --verify --only-live)",
      ],
      [
        ["history", "--json"],
        "Unknown argument: --json (trufflehog's; in keywarden: --format jsonl, one finding per line)",
      ],
      [["import", "gitleaks", "--json"], "Unknown argument: --json"],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { cwd });
      expect(result.exitCode, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toBe(
        `keywarden: ${message}\nRun keywarden --help for usage.\n`,
      );
    }
  });
});

describe("a size limit of 0", () => {
  it("means no limit, on the command line and in the config alike, as in gitleaks", async () => {
    // Over the default limit of 10MB, with a key at its end.
    const big = `${"filler line of a large log\n".repeat(420_000)}${groqLine()}`;
    const repo = makeTempRepo({ "a.env": groqLine(), "big.log": big });
    const cwd = repo.dir;
    const count = (stdout: string) => JSON.parse(stdout).findings.length as number;
    const byDefault = await runCli(["scan", "-f", "json"], { cwd });
    expect(count(byDefault.stdout)).toBe(1);
    expect(byDefault.stderr).toContain("big.log");
    for (const value of ["0", "0MB"]) {
      const flag = await runCli(["scan", "-f", "json", "--max-file-size", value], { cwd });
      expect(flag.exitCode, flag.stderr).toBe(1);
      expect(flag.stderr, value).toBe("");
      expect(count(flag.stdout), value).toBe(2);
    }
    for (const value of ["0", '"0"']) {
      writeFileSync(join(cwd, ".keywarden.yaml"), `maxFileSize: ${value}\n`);
      const config = await runCli(["scan", "-f", "json"], { cwd });
      expect(config.exitCode, config.stderr).toBe(1);
      expect(config.stderr, value).toBe("");
      expect(count(config.stdout), value).toBe(2);
    }
  });
});

describe("-o -", () => {
  it("writes to standard output, for import and for a scan, while a lone - is still no path", async () => {
    const cwd = makeTempDir();
    writeFileSync(
      join(cwd, ".gitleaks.toml"),
      "[[rules]]\nid = 'x-token'\nregex = 'xtok_[a-z]{20}'\n",
    );
    for (const args of [
      ["-o", "-"],
      ["--output", "-"],
    ]) {
      const result = await runCli(["import", "gitleaks", ...args], { cwd });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain("id: x-token");
    }
    writeFileSync(join(cwd, "a.env"), groqLine());
    const scan = await runCli(["scan", "a.env", "-f", "json", "-o", "-"], { cwd });
    expect(JSON.parse(scan.stdout).findings).toHaveLength(1);
    // Short flags run together, -o last.
    const grouped = await runCli(["scan", "a.env", "-f", "json", "-qo", "-"], { cwd });
    expect(JSON.parse(grouped.stdout).findings).toHaveLength(1);
    const lone = await runCli(["scan", "-", "-o", "-"], { cwd });
    expect(lone.exitCode).toBe(2);
    expect(lone.stderr).toContain('"-" is not a path');
  });
});

describe("--color", () => {
  it("colours every part of the text report, into a pipe too", async () => {
    const cwd = makeTempDir();
    writeFileSync(join(cwd, "a.env"), groqLine());
    const result = await runCli(["scan", "a.env", "--color"], { cwd });
    const coloured = result.stdout.split("\n").filter((line) => line.includes("\u001b["));
    // The finding's place and title, its fix line, and the summary.
    expect(coloured).toHaveLength(3);
  });

  it("is on by default on a terminal under an empty NO_COLOR, off under a set one", () => {
    const io = (NO_COLOR?: string) =>
      ({ stdout: { isTTY: true }, env: NO_COLOR === undefined ? {} : { NO_COLOR } }) as never;
    expect(shouldColor(io(), undefined, undefined)).toBe(true);
    expect(shouldColor(io(""), undefined, undefined)).toBe(true);
    expect(shouldColor(io("1"), undefined, undefined)).toBe(false);
  });
});

describe("--debug", () => {
  it("is listed in --help, and every command takes it", async () => {
    const cwd = makeTempDir();
    for (const args of [["--help"], ["scan", "--help"], ["rules", "list", "--help"]]) {
      const help = await runCli(args, { cwd });
      expect(help.stdout, args.join(" ")).toMatch(/--debug +On an error, print its stack trace/);
    }
    const rules = await runCli(["rules", "list", "--debug"], { cwd });
    expect(rules.stderr).toBe("");
    expect(rules.exitCode).toBe(0);
    const broken = await runCli(["scan", ".", "--debug", "--max-file-size", "banana"], { cwd });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/\n {4}at /);
  });
});
