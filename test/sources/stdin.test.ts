import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { stdinFragments } from "../../src/sources/stdin.js";
import type { Fragment, SkipNotice } from "../../src/types.js";

/** The fragments of a stream arriving in these chunks, read in pieces of `pieceBytes`. */
async function read(
  chunks: readonly (string | Buffer)[],
  pieceBytes: number,
  maxLineBytes?: number,
) {
  const fragments: Fragment[] = [];
  const skipped: SkipNotice[] = [];
  const stream = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
  const options = {
    path: "<stdin>",
    pieceBytes,
    onSkip: (notice: SkipNotice) => skipped.push(notice),
    ...(maxLineBytes ? { maxLineBytes } : {}),
  };
  for await (const fragment of stdinFragments(stream, options)) fragments.push(fragment);
  return { fragments, skipped };
}

describe("standard input", () => {
  /** A fragment's own lines, with their numbers: those it does not read again as context. */
  const ownLines = (fragment: Fragment) =>
    fragment.text
      .split("\n")
      .map((line, index) => [fragment.startLine + index, line] as const)
      .filter(([number]) => !fragment.contextOnly?.has(number));

  it("cuts pieces after a line end, numbers each line, and reads the last lines again as context", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    const { fragments } = await read(
      [lines.slice(0, 7).join("\n"), `\n${lines.slice(7).join("\n")}\n`],
      64,
    );
    expect(fragments.length).toBeGreaterThan(3);
    const own = fragments.flatMap((fragment) => ownLines(fragment).filter(([, line]) => line));
    expect(own).toEqual(lines.map((line, index) => [index + 1, line]));
    for (const fragment of fragments) {
      for (const [number, line] of fragment.text.split("\n").entries()) {
        if (line) expect(line).toBe(`line ${fragment.startLine + number}`);
      }
    }
    // Every piece after the first starts with the lines before it, as context only.
    expect(fragments.slice(1).every((fragment) => (fragment.contextOnly?.size ?? 0) > 0)).toBe(
      true,
    );
  });

  it("keeps a line longer than a piece whole, and cuts none inside a character", async () => {
    const line = "é".repeat(100); // two bytes each
    const { fragments } = await read([line.slice(0, 33), line.slice(33), "\nnext\n"], 31);
    expect(fragments.map((fragment) => ownLines(fragment).map(([, text]) => text))).toEqual([
      [line, ""],
      ["next", ""],
    ]);
  });

  it("cuts a line too long to hold after a character no key holds, says so, and counts its columns on", async () => {
    const line = `${"a".repeat(150)} key=${"b".repeat(40)} ${"é".repeat(60)}`;
    const { fragments, skipped } = await read(
      [line.slice(0, 90), line.slice(90), "\nnext\n"],
      64,
      160,
    );
    // The first cut falls after the space before `key=`, not inside the value.
    expect(fragments.map((fragment) => [fragment.startLine, fragment.startColumn])).toEqual([
      [1, undefined],
      [1, 152],
      [1, 197],
      [1, undefined], // line 2, after line 1 read again as context
    ]);
    expect(fragments[1]!.text.startsWith(`key=${"b".repeat(40)} `)).toBe(true);
    expect(
      fragments
        .slice(0, 3)
        .map((fragment) => fragment.text)
        .join(""),
    ).toBe(`${line}\n`);
    expect(skipped).toEqual([
      { path: "<stdin>", reason: "line-cut", detail: "line 1 is over 0 MB: cut at column 152" },
      { path: "<stdin>", reason: "line-cut", detail: "line 1 is over 0 MB: cut at column 197" },
    ]);
    // A long line the input ends with, at the limit, is whole: nothing was cut.
    const whole = await read(["c".repeat(160)], 64, 160);
    expect(whole.fragments.map((fragment) => fragment.text)).toEqual(["c".repeat(160)]);
    expect(whole.skipped).toEqual([]);
  });

  it("says how much of each fragment an earlier one held, so no byte counts twice", async () => {
    const input = Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join("");
    const { fragments } = await read([input], 256);
    expect(fragments.length).toBeGreaterThan(5);
    const counted = fragments.map((f) => f.text.length - (f.readAgainChars ?? 0));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(input.length);
    for (const fragment of fragments.slice(1)) {
      const again = fragment.text.slice(0, fragment.readAgainChars);
      expect(again.split("\n").length - 1).toBe(fragment.contextOnly?.size);
    }
  });

  it("reads input with NUL bytes as text, and UTF-16 whole", async () => {
    const withNul = await read([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), "more\n"], 4);
    expect(withNul.fragments.map((fragment) => fragment.text)).toEqual(["\x89PNG\0\0\x01more\n"]);

    const text = "A=1\r\nB=2\r\n".repeat(20);
    const utf16 = await read([Buffer.from(`\ufeff${text}`, "utf16le")], 16);
    expect(utf16.fragments.map((fragment) => fragment.text)).toEqual([text]);
    // Without a mark too (a .NET program's Encoding.Unicode output), in either byte order:
    // cut at its 0x0A bytes, it would lose its byte order from the second piece on.
    for (const bytes of [Buffer.from(text, "utf16le"), Buffer.from(text, "utf16le").swap16()]) {
      const unmarked = await read([bytes], 16);
      expect(unmarked.fragments.map((fragment) => fragment.text)).toEqual([text]);
    }
  });

  it("reads an armored block still open at a cut again from its first line", async () => {
    const block = [
      "-----BEGIN PRIVATE KEY-----",
      ...Array.from({ length: 80 }, (_, i) => `body ${i}`),
    ];
    const { fragments } = await read(
      [`${block.join("\n")}\nmore\n-----END PRIVATE KEY-----\n`],
      500,
    );
    const second = fragments[1]!;
    expect(second.text.startsWith(`${block[0]}\n`)).toBe(true);
    expect(second.contextOnly?.has(1)).toBe(true);
    // A closed block is read again by the usual few lines only.
    const closed = await read(
      [`${block.join("\n")}\n-----END PRIVATE KEY-----\n${"x\n".repeat(300)}`],
      700,
    );
    expect(closed.fragments[1]!.text.startsWith(block[0]!)).toBe(false);
  });
});
