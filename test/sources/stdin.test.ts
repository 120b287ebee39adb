import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { stdinFragments } from "../../src/sources/stdin.js";
import type { Fragment, SkipNotice } from "../../src/types.js";

/** The fragments of a stream arriving in these chunks, read in pieces of `pieceBytes`. */
async function read(chunks: readonly (string | Buffer)[], pieceBytes: number) {
  const skipped: SkipNotice[] = [];
  const fragments: Fragment[] = [];
  const stream = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
  for await (const fragment of stdinFragments(stream, {
    path: "<stdin>",
    onSkip: (notice) => skipped.push(notice),
    pieceBytes,
  })) {
    fragments.push(fragment);
  }
  return { fragments, skipped };
}

describe("standard input", () => {
  it("cuts pieces after a line end and numbers each from its first line", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    const { fragments } = await read(
      [lines.slice(0, 7).join("\n"), `\n${lines.slice(7).join("\n")}\n`],
      64,
    );
    expect(fragments.length).toBeGreaterThan(3);
    expect(fragments.map((fragment) => fragment.text).join("")).toBe(`${lines.join("\n")}\n`);
    for (const fragment of fragments) {
      expect(fragment.text.endsWith("\n")).toBe(true);
      expect(fragment.text.split("\n")[0]).toBe(`line ${fragment.startLine}`);
      expect(fragment.text.length).toBeLessThanOrEqual(64);
    }
  });

  it("cuts a line longer than a piece between characters, never inside one", async () => {
    const line = "é".repeat(100); // two bytes each
    const { fragments } = await read([line.slice(0, 33), line.slice(33)], 31);
    expect(fragments.map((fragment) => fragment.text).join("")).toBe(line);
    expect(fragments.every((fragment) => !fragment.text.includes("\ufffd"))).toBe(true);
  });

  it("skips binary input by its start, and reads UTF-16 whole", async () => {
    const binary = await read([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), "more"], 4);
    expect(binary.fragments).toEqual([]);
    expect(binary.skipped.map((notice) => notice.reason)).toEqual(["binary"]);

    const text = "A=1\r\nB=2\r\n".repeat(20);
    const utf16 = await read([Buffer.from(`\ufeff${text}`, "utf16le")], 16);
    expect(utf16.fragments.map((fragment) => fragment.text)).toEqual([text]);
  });
});
