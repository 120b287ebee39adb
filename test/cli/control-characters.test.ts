import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandExample } from "../../src/config/example-template.js";
import { makeTempDir } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

/** Any C0 or C1 control character or DEL: none may reach a terminal from a scanned name. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("file names with control characters", () => {
  it("are escaped in the text report and skip notices, and kept as they are in JSON", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const dir = makeTempDir();
    const clearScreen = "x\x1b[2J.env";
    const newline = "two\nlines.env";
    const binary = "title\x1b]0;owned\x07\x9b.bin";
    writeFileSync(join(dir, clearScreen), `LLAMA_API_KEY=${key}\n`);
    writeFileSync(join(dir, newline), `LLAMA_API_KEY=${key}\n`);
    writeFileSync(join(dir, binary), Buffer.from([0x89, 0x50, 0x00, 0x01]));

    const text = await runCli(["scan", ".", "--verbose"], { cwd: dir });
    expect(text.exitCode).toBe(1);
    expect(text.stdout + text.stderr).not.toMatch(CONTROL);
    // Each finding's heading is one line that starts with its escaped name.
    const headings = text.stdout.split("\n").filter((line) => line.includes(".env:1:15  "));
    expect(headings.map((line) => line.split(":1:15")[0]).sort()).toEqual([
      "two\\nlines.env",
      "x\\x1b[2J.env",
    ]);
    expect(text.stderr).toContain("  title\\x1b]0;owned\\x07\\x9b.bin\n");

    const json = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
    const report = JSON.parse(json.stdout) as {
      findings: { path: string }[];
      summary: { skipped: { path: string }[] };
    };
    expect(report.findings.map((f) => f.path).sort()).toEqual([newline, clearScreen].sort());
    expect(report.summary.skipped.map((s) => s.path)).toEqual([binary]);
  });
});
