import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { makeTempDir } from "../helpers/git-repo.js";
import { BIN, REPO_ROOT } from "../helpers/run-cli.js";

describe("a reader that closes the pipe early", () => {
  it("ends the command quietly with its own exit code, as `keywarden rules list | head -1`", async () => {
    const child = spawn(process.execPath, [BIN, "rules", "list"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Like `head -1`: read one chunk, then close the pipe while the list is still coming.
    child.stdout.once("data", () => child.stdout.destroy());
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
  });
});

describe("standard output that cannot be written", () => {
  it.runIf(existsSync("/dev/full"))(
    "says so in one line and exits 2, as `keywarden rules list > /dev/full`",
    () => {
      const full = openSync("/dev/full", "w");
      onTestFinished(() => closeSync(full));
      const dir = makeTempDir();
      writeFileSync(join(dir, "notes.txt"), "nothing to see\n");
      for (const args of [
        ["rules", "list"],
        ["scan", "."],
      ]) {
        const result = spawnSync(process.execPath, [BIN, ...args], {
          cwd: dir,
          stdio: ["ignore", full, "pipe"],
          encoding: "utf8",
        });
        expect(result.stderr, args.join(" ")).toBe(
          "keywarden: cannot write to standard output (ENOSPC): the report is incomplete\n",
        );
        expect(result.status, args.join(" ")).toBe(2);
      }
    },
  );
});
