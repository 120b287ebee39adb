import { describe, expect, it } from "vitest";
import { createProgressBar, progressLine } from "../../src/cli/progress-bar.js";
import { type DiffFile, DiffParser } from "../../src/git/diff-parser.js";
import { unquoteGitPath } from "../../src/git/unquote-path.js";
import { aggregateOccurrences } from "../../src/pipeline/aggregate-occurrences.js";
import { applyInlineAllow, hasInlineAllow } from "../../src/suppress/inline-allow.js";
import type { Finding } from "../../src/types.js";

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: "r",
    title: "T",
    provider: "p",
    severity: "high",
    tags: [],
    path: "a.txt",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 5,
    secret: "s",
    match: "s",
    lineText: "s",
    metadata: {},
    entropy: 3,
    fingerprint: "f1",
    ...overrides,
  };
}

describe("inline allow", () => {
  it.each([
    "token = abc # keywarden:allow",
    "const k = 'abc'; // keywarden:allow",
    "<!-- keywarden:allow --> abc",
    "abc -- KEYWARDEN:ALLOW (test fixture)",
    "/* keywarden:allow */ abc",
    "token = abc // gitleaks:allow",
    "token = abc # ggignore",
    "token = abc  # pragma: allowlist secret",
    "token = abc  // pragma: whitelist secret",
    "token = abc <!-- pragma: allowlist-secret -->",
  ])("suppresses %s", (line) => {
    expect(hasInlineAllow(line)).toBe(true);
  });

  it.each([
    "token = abc",
    "keywarden:allowed = abc",
    "keywarden:allow-list",
    "keywarden allow",
    "token = abc # xgitleaks:allow",
    "token = abc # aggignored",
    "token = abc # ggignore-start",
    // detect-secrets takes its pragma only in a comment, and the nextline form only above.
    'token = abc; log("pragma: allowlist secret")',
    "token = abc # pragma: allowlist nextline secret",
  ])("keeps %s", (line) => {
    expect(hasInlineAllow(line)).toBe(false);
  });

  it("splits findings by their own line", () => {
    const kept = finding({ lineText: "x = 1" });
    const allowed = finding({ lineText: "x = 2 # keywarden:allow" });
    expect(applyInlineAllow([kept, allowed])).toEqual({ kept: [kept], allowed: [allowed] });
  });

  it("takes detect-secrets' nextline pragma from a comment alone on the line above", () => {
    const above = (lineAbove: string) => finding({ lineText: "k = s", lineAbove });
    const alone = above("    # pragma: allowlist nextline secret");
    const afterCode = above("x = 1  # pragma: allowlist nextline secret");
    const none = finding({ lineText: "k = s" });
    expect(applyInlineAllow([alone, afterCode, none])).toEqual({
      kept: [afterCode, none],
      allowed: [alone],
    });
  });

  it("takes a marker on a multi-line finding's last line, not one inside its secret", () => {
    const block = finding({ lineText: "-----BEGIN", line: 1, endLine: 3, column: 1, endColumn: 9 });
    const after = { ...block, endLineText: '-----END""" # keywarden:allow' };
    const inside = finding({ lineText: 'p = "a/gitleaks:allow/b"', column: 6, endColumn: 24 });
    expect(applyInlineAllow([block, after, inside])).toEqual({
      kept: [block, inside],
      allowed: [after],
    });
  });

  it("on a minified line, takes only a marker near the finding", () => {
    const code = "var a=1;".repeat(500);
    const at = (lineText: string) => {
      const column = lineText.indexOf("SECRET") + 1;
      return finding({ lineText, column, endColumn: column + 6 });
    };
    const near = at(`${code}k="SECRET"/* keywarden:allow */;${code}`);
    const far = at(`${code}k="SECRET";${code}"keywarden:allow";`);
    expect(applyInlineAllow([near, far])).toEqual({ kept: [far], allowed: [near] });
  });
});

describe("aggregateOccurrences", () => {
  it("collapses one secret across blobs into its first finding with every place", () => {
    const git = (commit: string) => ({
      commit,
      author: "a",
      email: "e",
      date: `2026-01-0${commit.length}T00:00:00Z`,
    });
    const first = finding({ path: "a.env", line: 3, git: git("c") });
    const later = finding({ path: "a.env", line: 4, git: git("cc") });
    const moved = finding({ path: "b.env", line: 1, git: git("ccc") });
    const again = finding({ path: "b.env", line: 1, git: git("ccc") });
    const other = finding({ fingerprint: "f2", path: "z.txt", git: git("c") });
    const result = aggregateOccurrences([first, later, other, moved, again]);
    expect(result).toHaveLength(2);
    expect(result[0]).toMatchObject({ path: "a.env", line: 3, git: { commit: "c" } });
    expect(result[0]!.occurrences).toEqual([
      { path: "a.env", line: 3, commit: "c", date: "2026-01-01T00:00:00Z" },
      { path: "a.env", line: 4, commit: "cc", date: "2026-01-02T00:00:00Z" },
      { path: "b.env", line: 1, commit: "ccc", date: "2026-01-03T00:00:00Z" },
    ]);
    expect(result[1]!.occurrences).toHaveLength(1);
  });
});

describe("unquoteGitPath", () => {
  it("undoes git's C quoting, octal bytes as UTF-8", () => {
    expect(unquoteGitPath('"b/h\\303\\251llo \\"q\\" \\\\ \\t.txt"')).toBe('b/héllo "q" \\ \t.txt');
    expect(unquoteGitPath("b/plain name.txt")).toBe("b/plain name.txt");
    expect(unquoteGitPath('"b/日本.txt"')).toBe("b/日本.txt");
  });
});

describe("DiffParser", () => {
  function parse(text: string): DiffFile[] {
    const files: DiffFile[] = [];
    const parser = new DiffParser((file) => files.push(file));
    for (const line of text.split("\n")) parser.line(line);
    parser.flush();
    return files;
  }

  it("only measures a file adding more than maxAddedBytes, holding none of its lines", () => {
    const files: DiffFile[] = [];
    const parser = new DiffParser((file) => files.push(file), { maxAddedBytes: 20 });
    const added = ["é".repeat(8), "ab", "c".repeat(12), "last"];
    const lines = [
      "diff --git a/big.log b/big.log",
      "--- a/big.log",
      "+++ b/big.log",
      "@@ -1,1 +1,5 @@",
      " kept before",
      ...added.map((line) => `+${line}`),
      "diff --git a/small.txt b/small.txt",
      "--- a/small.txt",
      "+++ b/small.txt",
      "@@ -0,0 +1 @@",
      "+fits",
    ];
    for (const line of lines) parser.line(line);
    parser.flush();
    // Sized as the lines joined by newlines would be, in UTF-8 bytes.
    expect(files[0]).toMatchObject({
      path: "big.log",
      oversizeBytes: Buffer.byteLength(added.join("\n"), "utf8"),
      addedLines: [],
      lineNumbers: [],
      contextLines: [],
      contextNumbers: [],
    });
    expect(files[1]).toMatchObject({ path: "small.txt", addedLines: ["fits"], lineNumbers: [1] });
    expect(files[1]).not.toHaveProperty("oversizeBytes");
  });

  it("follows hunk counts, so content that looks like headers stays content", () => {
    const files = parse(
      [
        "diff --git a/x y.txt b/x y.txt",
        "index 1111111..2222222 100644",
        "--- a/x y.txt\t",
        "+++ b/x y.txt\t",
        "@@ -1,2 +1,3 @@",
        "-old",
        "-diff --git a/q b/q",
        "+@@ -9 +9 @@",
        "++++ b/q",
        "+new",
        "\\ No newline at end of file",
        "@@ -10,0 +11 @@",
        "+eleven",
      ].join("\n"),
    );
    expect(files).toEqual([
      {
        path: "x y.txt",
        status: "modified",
        mode: "100644",
        isBinary: false,
        isCombined: false,
        blob: "2222222",
        parentBlobs: ["1111111"],
        addedLines: ["@@ -9 +9 @@", "+++ b/q", "new", "eleven"],
        lineNumbers: [1, 2, 3, 11],
        contextLines: [],
        contextNumbers: [],
      },
    ]);
  });

  it("reads a merge's combined diff: only lines in no parent are added, numbered in the merge", () => {
    const files = parse(
      [
        "diff --cc m.txt",
        "index 1111111,2222222..3333333",
        "--- a/m.txt",
        "+++ b/m.txt",
        "@@@ -2,2 -2,2 +2,5 @@@ context",
        " +from main",
        "- y",
        "+ from side",
        " -y",
        "++resolved by hand",
        "+++++ b/looks like a header",
        "++diff --git a/q b/q",
        "diff --cc new.txt",
        "index 0000000,0000000..4444444",
        "new file mode 100644",
        "--- /dev/null",
        "+++ b/new.txt",
        "@@@ -1,0 -1,0 +1,1 @@@",
        "++only in the merge",
        "diff --cc gone.txt",
        "index 5555555,6666666..0000000",
        "deleted file mode 100644,100644",
        "--- a/gone.txt",
        "+++ /dev/null",
        "@@@ -1,1 -1,1 +1,18446744073709551615 @@@",
        "--old",
        'diff --cc "tab\there.txt"',
        "index 7777777,8888888..9999999",
        "mode 100644,100644..100755",
        "Binary files differ",
      ].join("\n"),
    );
    expect(files).toEqual([
      {
        path: "m.txt",
        status: "modified",
        mode: undefined,
        isBinary: false,
        isCombined: true,
        blob: "3333333",
        parentBlobs: ["1111111", "2222222"],
        addedLines: ["resolved by hand", "+++ b/looks like a header", "diff --git a/q b/q"],
        lineNumbers: [4, 5, 6],
        // Lines the merge takes from a parent: context, numbered in the merge too.
        contextLines: ["from main", "from side"],
        contextNumbers: [2, 3],
      },
      expect.objectContaining({
        path: "new.txt",
        status: "added",
        addedLines: ["only in the merge"],
        lineNumbers: [1],
      }),
      expect.objectContaining({ path: "gone.txt", status: "deleted", addedLines: [] }),
      expect.objectContaining({
        path: "tab\there.txt",
        mode: "100755",
        isBinary: true,
        isCombined: true,
        blob: "9999999",
      }),
    ]);
  });

  it("reads three-parent hunks (an octopus merge) and blank lines whose marks git stripped", () => {
    const files = parse(
      [
        "diff --cc o.txt",
        "index 1111111,2222222,3333333..4444444",
        "--- a/o.txt",
        "+++ b/o.txt",
        "@@@@ -1,2 -1,2 -1,4 +1,4 @@@@",
        "   kept by all",
        "",
        "+++new in the merge",
        "++ from the third",
        "  -only in the third",
        "diff --cc p.txt",
        "--- a/p.txt",
        "+++ b/p.txt",
        "@@@ -3,0 -3,0 +3,1 @@@",
        "++next file",
      ].join("\n"),
    );
    expect(files).toEqual([
      expect.objectContaining({
        path: "o.txt",
        addedLines: ["new in the merge"],
        lineNumbers: [3],
      }),
      expect.objectContaining({ path: "p.txt", addedLines: ["next file"], lineNumbers: [3] }),
    ]);
  });

  it("takes the new name of a rename and marks binary files", () => {
    const files = parse(
      [
        "diff --git a/a b.bin b/c d.bin",
        "similarity index 90%",
        "rename from a b.bin",
        "rename to c d.bin",
        "Binary files a/a b.bin and b/c d.bin differ",
      ].join("\n"),
    );
    expect(files).toEqual([
      expect.objectContaining({ path: "c d.bin", status: "renamed", isBinary: true }),
    ]);
  });
});

describe("progressLine", () => {
  it("shows counts, rate and time left once the walk is done", () => {
    const line = progressLine(
      { done: 50, total: 200, walkDone: true, bytes: 10 * 1024 * 1024, commits: 9 },
      2000,
      10,
    );
    expect(line).toBe("[###-------] 50/200 blobs · 5.0 MB/s · ETA 0:06");
  });

  it("counts a range's commits rather than blobs", () => {
    const line = progressLine(
      { done: 1, total: 4, walkDone: true, bytes: 0, commits: 1, unit: "commits" },
      1000,
      4,
    );
    expect(line).toBe("[#---] 1/4 commits · 0.0 MB/s · ETA 0:03");
  });

  it("shows a growing total while commits are still being walked", () => {
    const line = progressLine(
      { done: 5, total: 10, walkDone: false, bytes: 0, commits: 42 },
      1000,
      4,
    );
    expect(line).toBe("[##--] 5/10+ blobs · 0.0 MB/s · walking commits (42)");
  });
});

describe("createProgressBar", () => {
  const progress = { done: 1, total: 2, walkDone: true, bytes: 0, commits: 1 };

  it("rewrites one line on a terminal and clears it at the end", () => {
    let written = "";
    const bar = createProgressBar(
      { isTTY: true, write: (text) => (written += text) },
      true,
      () => 0,
    );
    bar.update(progress);
    bar.done();
    expect(written).toBe(`\r\x1b[K${progressLine(progress, 0)}\r\x1b[K`);
  });

  it("writes nothing when disabled (not a terminal, or --quiet)", () => {
    let written = "";
    const bar = createProgressBar({ isTTY: false, write: (text) => (written += text) }, false);
    bar.update(progress);
    bar.done();
    expect(written).toBe("");
  });
});
