import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { fileFragments } from "../../src/sources/files.js";
import { collect } from "../git/helpers.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";

/** The fragments and skip notices of a scan of `dir`, with no excludes, as `scan .` there. */
function scanFolder(dir: string) {
  return collect((onSkip) =>
    fileFragments({ cwd: dir, paths: ["."], exclude: [], maxFileSize: 1 << 20, onSkip }),
  );
}

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
    const { fragments, skipped } = await scanFolder(dir);
    expect(fragments.map((fragment) => fragment.path).sort()).toEqual(["notes.md", "short.txt"]);
    expect(skipped.map((notice) => [notice.path, notice.reason])).toEqual([
      ["model.onnx", "lfs-pointer"],
    ]);
  });

  it("reads UTF-8 text without its byte-order mark, and other bytes as Latin-1", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "bom.txt"), Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a]));
    writeFileSync(join(dir, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const { fragments } = await scanFolder(dir);
    expect(fragments.map((fragment) => [fragment.path, fragment.text])).toEqual([
      ["bom.txt", "a\n"],
      ["latin1.txt", "café\n"],
    ]);
  });

  it("reads UTF-16 text after its byte-order mark, either byte order, and only UTF-16 so", async () => {
    const dir = makeTempDir();
    const text = "A=1\r\nname = café ✓\r\n";
    writeFileSync(join(dir, "le.env"), Buffer.from(`\ufeff${text}`, "utf16le"));
    writeFileSync(join(dir, "be.env"), Buffer.from(`\ufeff${text}`, "utf16le").swap16());
    // A last odd byte is half a character.
    writeFileSync(
      join(dir, "odd.env"),
      Buffer.concat([Buffer.from(`\ufeff${text}`, "utf16le"), Buffer.from([0x41])]),
    );
    // FF FE 00 00 starts UTF-32, which stays binary.
    writeFileSync(join(dir, "utf32.txt"), Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]));
    // A mark with no NUL after it: other text that starts like one, read as that text.
    writeFileSync(
      join(dir, "latin1.env"),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("\nA=1\n")]),
    );
    const { fragments, skipped } = await scanFolder(dir);
    expect(fragments.map((fragment) => [fragment.path, fragment.text]).sort()).toEqual([
      ["be.env", text],
      ["latin1.env", "\u00ff\u00fe\nA=1\n"],
      ["le.env", text],
      ["odd.env", text],
    ]);
    expect(skipped.map((notice) => [notice.path, notice.reason])).toEqual([
      ["utf32.txt", "binary"],
    ]);
  });

  it("reads UTF-16 text without a byte-order mark when its zero bytes show it, and keeps binary binary", async () => {
    const dir = makeTempDir();
    const text = "A=1\r\nname = café ✓\r\n";
    writeFileSync(join(dir, "le.env"), Buffer.from(text, "utf16le"));
    writeFileSync(join(dir, "be.env"), Buffer.from(text, "utf16le").swap16());
    // 16-bit numbers, small ones: every other byte NUL too, but the others are no text.
    writeFileSync(join(dir, "counts.bin"), Buffer.from(new Uint16Array([1, 2, 3, 4, 5, 6]).buffer));
    // A NUL where a UTF-16 character's low byte stands: not UTF-16 text.
    writeFileSync(join(dir, "nul.bin"), Buffer.from([0x41, 0, 0, 0, 0x42, 0]));
    const { fragments, skipped } = await scanFolder(dir);
    expect(fragments.map((fragment) => [fragment.path, fragment.text]).sort()).toEqual([
      ["be.env", text],
      ["le.env", text],
    ]);
    expect(skipped.map((notice) => [notice.path, notice.reason]).sort()).toEqual([
      ["counts.bin", "binary"],
      ["nul.bin", "binary"],
    ]);
  });

  it("reads text holding a few NUL bytes among mostly text, and skips what is mostly binary", async () => {
    const dir = makeTempDir();
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of the notes`).join("\n");
    // A short binary header (a record's length and flags) before text.
    const header = Buffer.from([0x4b, 0x57, 0, 0, 0, 0x01, 0, 0x2a]);
    writeFileSync(join(dir, "notes.dat"), Buffer.concat([header, Buffer.from(`\n${lines}\n`)]));
    // A container log saved with its frame headers: 8 bytes before each line.
    const frames = Array.from({ length: 40 }, (_, i) => {
      const line = Buffer.from(
        `2026-01-02T03:04:05Z step ${i} of the build finished without errors\n`,
      );
      const frame = Buffer.alloc(8);
      frame[0] = 1;
      frame.writeUInt32BE(line.length, 4);
      return Buffer.concat([frame, line]);
    });
    writeFileSync(join(dir, "build.log"), Buffer.concat(frames));
    // Random bytes hold as many control and stray high bytes as an image or an executable.
    writeFileSync(join(dir, "noise.bin"), Buffer.concat([Buffer.from([0]), randomBytes(4096)]));
    const { fragments, skipped } = await scanFolder(dir);
    expect(fragments.map((fragment) => fragment.path).sort()).toEqual(["build.log", "notes.dat"]);
    const notes = fragments.find((fragment) => fragment.path === "notes.dat")!;
    expect(notes.text.split("\n")[40]).toBe("line 40 of the notes");
    expect(skipped.map((notice) => [notice.path, notice.reason])).toEqual([
      ["noise.bin", "binary"],
    ]);
  });

  it("reads files and folders whose names hold line breaks, honouring excludes there", async () => {
    const dir = makeTempDir();
    // picomatch's `**` matches no line break: fast-glob's walk and the excludes used to drop these.
    writeFileSync(join(dir, "notes\n.env"), "a\n");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub/win\r.env"), "b\n");
    mkdirSync(join(dir, "two\nlines/deeper\u2028still"), { recursive: true });
    writeFileSync(join(dir, "two\nlines/c.env"), "c\n");
    writeFileSync(join(dir, "two\nlines/deeper\u2028still/d.env"), "d\n");
    writeFileSync(join(dir, "two\nlines/build.log"), "excluded\n");
    writeFileSync(join(dir, "two\nlines/.gitignore"), "ignored.env\n");
    writeFileSync(join(dir, "two\nlines/deeper\u2028still/ignored.env"), "ignored\n");
    const { fragments, skipped } = await collect((onSkip) =>
      fileFragments({
        cwd: dir,
        paths: ["."],
        exclude: ["**/*.log"],
        maxFileSize: 1 << 20,
        onSkip,
      }),
    );
    expect(fragments.map((fragment) => fragment.path).sort()).toEqual([
      "notes\n.env",
      "sub/win\r.env",
      "two\nlines/.gitignore",
      "two\nlines/c.env",
      "two\nlines/deeper\u2028still/d.env",
    ]);
    expect(skipped).toEqual([]);
  });

  // Linux keeps a name's bytes as given; macOS and Windows refuse names that are not UTF-8.
  it.runIf(process.platform === "linux")(
    "reads files and folders whose names are not UTF-8, and their .gitignore files",
    async () => {
      const dir = makeTempDir();
      const latin1 = (name: string) => Buffer.from(name, "latin1");
      const under = (...parts: string[]) =>
        Buffer.concat([Buffer.from(`${dir}/`), latin1(parts.join("/"))]);
      mkdirSync(under("café"));
      writeFileSync(under("café", "clé.env"), "A=1\n");
      writeFileSync(under("café", ".gitignore"), "*.log\n");
      writeFileSync(under("café", "débug.log"), "ignored\n");
      symlinkSync(latin1("clé.env"), under("café", "lien"));
      const { fragments, skipped } = await scanFolder(dir);
      // Shown as Node reads the names, U+FFFD for each byte that is not UTF-8.
      expect(fragments.map((fragment) => [fragment.path, fragment.text]).sort()).toEqual([
        ["caf\uFFFD/.gitignore", "*.log\n"],
        ["caf\uFFFD/cl\uFFFD.env", "A=1\n"],
        ["caf\uFFFD/lien", "A=1\n"],
      ]);
      expect(skipped).toEqual([]);
    },
  );

  it.skipIf(process.platform === "win32")(
    "skips sockets and devices without opening them, in a folder, through a link and by name",
    async () => {
      const dir = makeTempDir();
      writeFileSync(join(dir, "a.env"), "A=1\n");
      const server = createServer();
      await new Promise<void>((done) => server.listen(join(dir, "app.sock"), done));
      onTestFinished(() => new Promise<void>((done) => server.close(() => done())));
      symlinkSync("/dev/null", join(dir, "null-link"));
      const { fragments, skipped } = await collect((onSkip) =>
        fileFragments({
          cwd: dir,
          paths: [".", "/dev/null"],
          exclude: [],
          maxFileSize: 1 << 20,
          onSkip,
        }),
      );
      expect(fragments.map((fragment) => fragment.path)).toEqual(["a.env"]);
      expect(skipped.map((notice) => [notice.path, notice.reason, notice.detail]).sort()).toEqual(
        [
          [relative(dir, "/dev/null"), "not-a-file", "character device"],
          ["app.sock", "not-a-file", "socket"],
          ["null-link", "symlink", "link to a character device, not followed"],
        ].sort(),
      );
    },
  );
});

describe("ignore files", () => {
  it("honours .gitignore in every folder and .git/info/exclude, and nothing re-includes inside an ignored folder, as in git", async () => {
    const dir = makeTempDir();
    const files: Record<string, string> = {
      ".gitignore": "node_modules/\n*.log\n!keep.log\n",
      ".git/info/exclude": "local.env\n",
      "local.env": "x\n",
      "app.js": "x\n",
      "debug.log": "x\n",
      "keep.log": "x\n",
      "node_modules/.gitignore": "!*\n",
      "node_modules/pkg/index.js": "x\n",
      "src/.gitignore": "generated/\n",
      "src/main.js": "x\n",
      "src/generated/out.js": "x\n",
      "other/generated/kept.js": "x\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const paths = async (gitignore: boolean) => {
      const { fragments } = await collect((onSkip) =>
        fileFragments({
          cwd: dir,
          paths: ["."],
          exclude: [],
          maxFileSize: 1 << 20,
          gitignore,
          onSkip,
        }),
      );
      return fragments.map((fragment) => fragment.path).sort();
    };
    expect(await paths(true)).toEqual([
      ".gitignore",
      "app.js",
      "keep.log",
      "other/generated/kept.js",
      "src/.gitignore",
      "src/main.js",
    ]);
    expect(await paths(false)).toHaveLength(Object.keys(files).length - 1); // .git is never read
  });
});

describe("ignore files, precedence", () => {
  it("lets a deeper .gitignore take back a parent's pattern, and matches letter case as git on Linux does", async () => {
    const dir = makeTempDir();
    const files: Record<string, string> = {
      ".gitignore": "*.env\n*.txt\n",
      "config/.gitignore": "!defaults.env\n",
      "config/defaults.env": "x\n",
      "config/local.env": "x\n",
      "A.TXT": "x\n",
      "a.txt": "x\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const { fragments } = await scanFolder(dir);
    const expected = [".gitignore", "config/.gitignore", "config/defaults.env"];
    // Case-insensitive file systems (macOS, Windows) have git match case loosely too.
    if (process.platform === "linux") expected.unshift("A.TXT");
    expect(fragments.map((fragment) => fragment.path).sort()).toEqual(expected.sort());
  });

  it("lists what git lists when a deeper .gitignore takes back a folder a parent ignores", async () => {
    const repo = makeTempRepo({
      ".gitignore": "build/\n",
      "build/out.js": "x\n",
      "src/.gitignore": "!build/\nlocal.env\n",
      "src/build/app.env": "x\n",
      "src/build/local.env": "x\n",
      "src/build/.gitignore": "*.tmp\n",
      "src/build/cache.tmp": "x\n",
      "src/build/deeper/app.js": "x\n",
      "lib/build/out.js": "x\n",
    });
    const { fragments } = await scanFolder(repo.dir);
    const gitLists = repo.git("ls-files", "--others", "--exclude-standard").split("\n");
    expect(fragments.map((fragment) => fragment.path).sort()).toEqual(gitLists.sort());
    expect(gitLists).toContain("src/build/app.env");
  });
});

describe("ignore files when git cannot list what it tracks", () => {
  it("says that tracked files .gitignore matches went unscanned", async () => {
    const repo = makeTempRepo();
    repo.commit("before the ignore rule", { "prod.env": "A=1\n" });
    repo.commit("ignore", { ".gitignore": "*.env\n" });
    // A broken config makes git refuse the repository, as it refuses another user's.
    appendFileSync(join(repo.dir, ".git", "config"), "[broken\n");
    const { fragments, skipped } = await scanFolder(repo.dir);
    expect(fragments.map((fragment) => fragment.path)).toEqual([".gitignore"]);
    expect(skipped).toEqual([
      expect.objectContaining({
        path: ".",
        reason: "unreadable",
        detail: expect.stringMatching(/^git cannot list the files it tracks \(.*config/),
      }),
    ]);
  });
});

describe("ignore files and git's index", () => {
  it("scans files git tracks although .gitignore matches them, inside ignored folders too", async () => {
    const repo = makeTempRepo();
    repo.commit("committed before they were ignored", {
      "prod.env": "x\n",
      "build/keep.txt": "x\n",
    });
    repo.write({ ".gitignore": "*.env\nbuild/\n", "local.env": "x\n", "build/out.js": "x\n" });
    const { fragments } = await scanFolder(repo.dir);
    expect(fragments.map((fragment) => fragment.path).sort()).toEqual([
      ".gitignore",
      "build/keep.txt",
      "prod.env",
    ]);
  });

  it("honours the .gitignore files above a subfolder scanned, and .git/info/exclude", async () => {
    const repo = makeTempRepo();
    repo.write({
      ".gitignore": "*.env\n",
      "d/.gitignore": "!ok.env\n",
      "d/ok.env": "x\n",
      "d/local.env": "x\n",
      "d/sub/notes.txt": "x\n",
      "d/sub/local.log": "x\n",
    });
    appendFileSync(join(repo.dir, ".git", "info", "exclude"), "*.log\n");
    const { fragments } = await collect((onSkip) =>
      fileFragments({ cwd: repo.dir, paths: ["d"], exclude: [], maxFileSize: 1 << 20, onSkip }),
    );
    expect(fragments.map((fragment) => fragment.path).sort()).toEqual([
      "d/.gitignore",
      "d/ok.env",
      "d/sub/notes.txt",
    ]);
  });
  it("honours the info/exclude of a linked worktree (the main one's) and of a submodule", async () => {
    const main = makeTempRepo({ "README.md": "x\n" });
    main.commit("one");
    appendFileSync(join(main.dir, ".git", "info", "exclude"), "*.local\n");
    const linked = join(makeTempDir(), "linked");
    main.git("worktree", "add", "-q", linked);
    writeFileSync(join(linked, "dev.local"), "x\n");
    writeFileSync(join(linked, "app.txt"), "x\n");
    const inLinked = await collect((onSkip) =>
      fileFragments({ cwd: linked, paths: ["."], exclude: [], maxFileSize: 1 << 20, onSkip }),
    );
    expect(inLinked.fragments.map((fragment) => fragment.path).sort()).toEqual([
      "README.md",
      "app.txt",
    ]);

    // A submodule's .git is a file naming .git/modules/NAME, where its info/exclude is.
    const sub = makeTempRepo({ "lib.txt": "x\n" });
    sub.commit("one");
    const outer = makeTempRepo();
    outer.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.dir, "sm");
    appendFileSync(join(outer.dir, ".git", "modules", "sm", "info", "exclude"), "*.local\n");
    writeFileSync(join(outer.dir, "sm", "dev.local"), "x\n");
    for (const [cwd, paths, expected] of [
      [outer.dir, ["sm"], ["sm/lib.txt"]],
      [join(outer.dir, "sm"), ["."], ["lib.txt"]],
    ] as const) {
      const { fragments } = await collect((onSkip) =>
        fileFragments({ cwd, paths: [...paths], exclude: [], maxFileSize: 1 << 20, onSkip }),
      );
      expect(fragments.map((fragment) => fragment.path).sort()).toEqual(expected);
    }
  });
});
