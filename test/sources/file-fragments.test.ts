import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileFragments } from "../../src/sources/files.js";
import { collect } from "../git/helpers.js";
import { makeTempDir } from "../helpers/git-repo.js";

describe("fileFragments", () => {
  it("skips Git LFS pointer files, and reads files that only start like one", async () => {
    const dir = makeTempDir();
    const pointer = [
      "version https://git-lfs.github.com/spec/v1",
      `oid sha256:${randomBytes(32).toString("hex")}`,
      "size 1048576",
      "",
    ].join("\n");
    writeFileSync(join(dir, "model.onnx"), pointer);
    // The spec caps pointers at 1024 bytes: past that it is a document that quotes one.
    writeFileSync(
      join(dir, "notes.md"),
      `${pointer}${"prose about the pointer format\n".repeat(40)}`,
    );
    // Short enough, but a pointer holds nothing but its own lines.
    writeFileSync(join(dir, "short.txt"), `${pointer}token = value\n`);
    const { fragments, skipped } = await collect((onSkip) =>
      fileFragments({ cwd: dir, paths: ["."], exclude: [], maxFileSize: 1 << 20, onSkip }),
    );
    expect(fragments.map((fragment) => fragment.path).sort()).toEqual(["notes.md", "short.txt"]);
    expect(skipped.map((notice) => [notice.path, notice.reason])).toEqual([
      ["model.onnx", "lfs-pointer"],
    ]);
  });

  it("reads UTF-8 text without its byte-order mark, and other bytes as Latin-1", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "bom.txt"), Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a]));
    writeFileSync(join(dir, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const { fragments } = await collect((onSkip) =>
      fileFragments({ cwd: dir, paths: ["."], exclude: [], maxFileSize: 1 << 20, onSkip }),
    );
    expect(fragments.map((fragment) => [fragment.path, fragment.text])).toEqual([
      ["bom.txt", "a\n"],
      ["latin1.txt", "café\n"],
    ]);
  });
});
