import { describe, expect, it } from "vitest";
import yargs from "yargs";
import { historyCommand, plainHistory } from "../../src/cli/commands/history.js";
import { plainStaged, stagedCommand } from "../../src/cli/commands/staged.js";
import type { CommandContext } from "../../src/cli/io.js";
import { parseArgsOptions } from "../../src/cli/option-spec.js";
import { pathsGiven } from "../../src/cli/paths-given.js";
import { type PlainCommand, readPlainArgs } from "../../src/cli/plain-args.js";
import { readScanOptions, SCAN_OPTIONS } from "../../src/cli/scan-options.js";

const COMMANDS = {
  staged: { plain: plainStaged, yargs: stagedCommand },
  history: { plain: plainHistory, yargs: historyCommand },
} as const;
type CommandName = keyof typeof COMMANDS;

const readPlainStagedArgs = (argv: readonly string[]) => readPlain("staged", argv);

/** The fast path as main.ts takes it: the command name, then its flags. */
function readPlain(
  name: CommandName,
  argv: readonly string[],
): Record<string, unknown> | undefined {
  if (argv[0] !== name) return undefined;
  const command: PlainCommand = COMMANDS[name].plain;
  return readPlainArgs(argv.slice(1), command);
}

/** A command's own yargs builder, in strict mode as main.ts runs it; its handler only records argv. */
async function parseWithYargs(
  args: readonly string[],
  name: CommandName = "staged",
): Promise<Record<string, unknown>> {
  const command = COMMANDS[name].yargs({} as CommandContext);
  let parsed: Record<string, unknown> | undefined;
  await yargs([name, ...args])
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new Error(message);
    })
    .command({
      ...command,
      handler: (argv) => {
        parsed = argv;
      },
    })
    .parseAsync();
  if (!parsed) throw new Error(`yargs ran no handler for ${name} ${args.join(" ")}`);
  return parsed;
}

/** What readScanOptions makes of a record: the options, or the error it throws. */
function scanOptionsOf(record: Record<string, unknown>): unknown {
  try {
    return readScanOptions(record);
  } catch (error) {
    return { thrown: (error as Error).name, message: (error as Error).message };
  }
}

/** What the staged handler reads of a record: the scan options and the paths. */
function stagedOptionsOf(record: Record<string, unknown>): unknown {
  return { scan: scanOptionsOf(record), paths: pathsGiven(record, 1) };
}

/** One example command line per plain option, so an option added later is checked too. */
function exampleArgs(spec: (typeof SCAN_OPTIONS)[number]): string[] {
  if (spec.type === "boolean") return [`--${spec.name}`];
  return [`--${spec.name}`, spec.choices?.[spec.choices.length - 1] ?? "some-value.txt"];
}

const PLAIN: readonly (readonly string[])[] = [
  [],
  ["--quiet"],
  ["-q"],
  ["--no-quiet"],
  ["--verbose", "--color"],
  ["--no-color"],
  ["--debug"],
  ["--no-debug", "--no-verbose"],
  ["--report-unused-ignores"],
  ["-c", "keys.yaml"],
  ["--config=keys.yaml"],
  ["--config="],
  ["--config", "a=b"],
  ["--config", "true"],
  ["--config", "123"],
  ["--config", ""],
  ["--format", "json"],
  ["-f", "sarif"],
  ["--format=markdown"],
  ["-o", "report file.json", "--format", "json"],
  ["--rules", "a.yaml"],
  ["--rules", "1"],
  ["--rules", "a.yaml", "--rules=b.yaml", "-q"],
  ["--baseline", "base.json", "--ignore-file", ".keywardenignore"],
  ["--max-file-size", "500KB"],
  ["--max-file-size", "10"],
  ["--max-file-size", "banana"],
  ["-q", "--no-color", "-f", "json", "-c", "k.yaml", "--output=o.json"],
  // Paths, as the pre-commit framework passes them.
  ["extra"],
  ["a.env", "--quiet", "b dir/c.env"],
  ["--"],
  ["--quiet", "--"],
  ["--", "x"],
  ["--", "-x.env", "--quiet"],
];

/** Command lines yargs reads differently from parseArgs, or must answer itself. */
const LEFT_TO_YARGS: readonly (readonly string[])[] = [
  ["--help"],
  ["-h"],
  ["--version"],
  ["--frobnicate"],
  ["--format", "html"],
  ["--format", "xml"],
  ["--no-format"],
  ["--redact"],
  ["--redact=50"],
  ["--no-redact"],
  ["--verify"],
  ["--only-live"],
  ["--fail-on", "none"],
  ["--endpoint", "openai=http://127.0.0.1:1"],
  ["--verify-concurrency", "2"],
  ["--config", "a", "--config", "b"],
  ["-q", "--quiet"],
  ["--color", "--no-color"],
  ["-qv"],
  ["-fjson"],
  ["-f=json"],
  ["-cfoo"],
  ["--quiet=true"],
  ["--quiet", "true"],
  ["--maxFileSize", "1"],
  ["--config"],
  ["--rules"],
  ["--output", "-"],
  ["--output=-"],
  ["--config=-x"],
  ["--config", "-q"],
  ["--no-config"],
  ["--QUIET"],
];

describe("the pre-commit fast path's command line", () => {
  it.each(PLAIN.map((args) => [args.join(" ") || "(no flags)", args] as const))(
    "reads %s as yargs does",
    async (_label, args) => {
      const plain = readPlainStagedArgs(["staged", ...args]);
      expect(plain).toBeDefined();
      expect(stagedOptionsOf(plain!)).toEqual(stagedOptionsOf(await parseWithYargs(args)));
    },
  );

  it.each(LEFT_TO_YARGS.map((args) => [args.join(" "), args] as const))(
    "leaves %s to yargs",
    (_label, args) => {
      expect(readPlainStagedArgs(["staged", ...args])).toBeUndefined();
    },
  );

  it("reads no other command, nor flags before the command", () => {
    expect(readPlainStagedArgs(["scan"])).toBeUndefined();
    expect(readPlainStagedArgs(["--quiet", "staged"])).toBeUndefined();
    expect(readPlainStagedArgs([])).toBeUndefined();
  });

  it("reads every plain scan option from the one declaration, as yargs does", async () => {
    const plainSpecs = SCAN_OPTIONS.filter(
      (spec) => spec.type === "string" || spec.type === "boolean",
    );
    expect(Object.keys(parseArgsOptions(SCAN_OPTIONS))).toEqual(
      plainSpecs.map((spec) => spec.name),
    );
    for (const spec of plainSpecs) {
      const args = exampleArgs(spec);
      const plain = readPlainStagedArgs(["staged", ...args]);
      expect(plain, args.join(" ")).toBeDefined();
      expect(scanOptionsOf(plain!), args.join(" ")).toEqual(
        scanOptionsOf(await parseWithYargs(args)),
      );
      if (spec.alias) {
        const short = [`-${spec.alias}`, ...args.slice(1)];
        expect(readPlainStagedArgs(["staged", ...short]), short.join(" ")).toEqual(plain);
      }
    }
  });
});

/** What the history handler reads of a record besides the scan options. */
function historyOptionsOf(record: Record<string, unknown>): unknown {
  const { range, branch, since } = record;
  return { scan: scanOptionsOf(record), range, branch, since, maxCount: record["max-count"] };
}

describe("the history fast path's command line", () => {
  const PLAIN_HISTORY: readonly (readonly string[])[] = [
    [],
    ["--format", "json", "--quiet"],
    ["--range", "main..feature"],
    ["--range=HEAD~3..HEAD", "-f", "sarif", "-o", "out.sarif"],
    ["--branch", "main", "--since", "2 weeks ago"],
    ["--since=2024-01-31"],
    ["--max-count", "5"],
    ["--branch", "123"],
    ["--branch="],
    ["-q", "--no-color", "--rules", "a.yaml", "--branch", "release/1.x"],
  ];
  const HISTORY_LEFT_TO_YARGS: readonly (readonly string[])[] = [
    ["--range", "a..b", "--branch", "main"],
    ["--since", "yesterday", "--range", "a..b"],
    ["--branch", "a", "--branch", "b"],
    ["--branch", "-x"],
    ["--no-branch"],
    ["--verify"],
    ["--help"],
    ["main"],
    ["--"],
  ];

  it.each(PLAIN_HISTORY.map((args) => [args.join(" ") || "(no flags)", args] as const))(
    "reads %s as yargs does",
    async (_label, args) => {
      const plain = readPlain("history", ["history", ...args]);
      expect(plain).toBeDefined();
      expect(historyOptionsOf(plain!)).toEqual(
        historyOptionsOf(await parseWithYargs(args, "history")),
      );
    },
  );

  it.each(HISTORY_LEFT_TO_YARGS.map((args) => [args.join(" "), args] as const))(
    "leaves %s to yargs",
    (_label, args) => {
      expect(readPlain("history", ["history", ...args])).toBeUndefined();
    },
  );

  it("leaves conflicting flags to yargs, which refuses them", async () => {
    await expect(parseWithYargs(["--range", "a..b", "--since", "x"], "history")).rejects.toThrow(
      /mutually exclusive|conflict/i,
    );
  });
});
