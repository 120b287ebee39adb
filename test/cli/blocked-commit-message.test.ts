import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { plantedKey } from "../git/helpers.js";
import { GIT_ENV, makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

describe("the message of a blocked commit", () => {
  it("names the files to unstage as a POSIX shell reads them, to copy and paste from any folder", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n", "sub/keep.txt": "x\n" });
    const names = [
      "plain.env",
      'we"ird\\name.txt',
      "new\nline.txt",
      "it's $HOME.txt",
      "`id` (1).txt",
      "-x.env",
    ];
    repo.write(Object.fromEntries(names.map((name) => [name, `LLAMA_API_KEY=${plantedKey()}\n`])));
    repo.git("add", "-A");

    const staged = await runCli(["staged"], { cwd: repo.dir });
    expect(staged.exitCode).toBe(1);
    // Where the keys are: one line each, a line break in a name shown as \n.
    expect(staged.stderr).toContain("\n  new\\nline.txt:1  ");
    const hint = /unstage it: (git restore --staged [\s\S]*?);\n {2}- or,/.exec(staged.stderr)?.[1];
    expect(hint).toContain(" ':(top,literal)plain.env'");
    // Run as pasted, in a subfolder: every file is unstaged, none is left behind.
    execFileSync("sh", ["-c", hint!], {
      cwd: `${repo.dir}/sub`,
      env: { ...process.env, ...GIT_ENV },
    });
    expect(repo.git("diff", "--cached", "--name-only")).toBe("");
  });

  it("unstages with git rm --cached before the first commit, where there is no HEAD", async () => {
    const repo = makeTempRepo({ "app.env": `LLAMA_API_KEY=${plantedKey()}\n`, "ok.txt": "x\n" });
    repo.git("add", "-A");
    const staged = await runCli(["staged"], { cwd: repo.dir });
    const hint = /unstage it: (git [\s\S]*?);\n {2}- or,/.exec(staged.stderr)?.[1];
    expect(hint).toBe("git rm --cached -- ':(top,literal)app.env'");
    execFileSync("sh", ["-c", hint!], { cwd: repo.dir, env: { ...process.env, ...GIT_ENV } });
    expect(repo.git("diff", "--cached", "--name-only")).toBe("ok.txt");
  });
});
