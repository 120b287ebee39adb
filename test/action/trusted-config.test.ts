import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTrustedConfig } from "../../src/action/trusted-config.js";
import { GIT_ENV, makeTempRepo } from "../helpers/git-repo.js";

describe("readTrustedConfig", () => {
  it("follows a symbolic link to the config inside the commit, and never out of it", async () => {
    const repo = makeTempRepo({ "config/keywarden.yaml": "exclude: ['vendor/**']\n" });
    symlinkSync("config/keywarden.yaml", join(repo.dir, ".keywarden.yaml"));
    const linked = repo.commit("config behind a link");
    const read = (commit: string) =>
      readTrustedConfig({
        cwd: repo.dir,
        root: repo.dir,
        env: { ...process.env, ...GIT_ENV },
        commit,
      });
    expect((await read(linked)).configText?.text).toBe("exclude: ['vendor/**']\n");

    repo.git("rm", "-q", ".keywarden.yaml");
    symlinkSync("../../etc/passwd", join(repo.dir, ".keywarden.yaml"));
    const escaping = repo.commit("a link out of the repository");
    expect((await read(escaping)).configText?.name).toMatch(/^\(no config at /);
  });
});
