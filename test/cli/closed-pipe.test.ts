import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
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
