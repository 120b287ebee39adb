import { describe, expect, it } from "vitest";
import { createProgressLine } from "../../src/verify/progress-line.js";

function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, write: (text: string) => void written.push(text), isTTY };
}

describe("createProgressLine", () => {
  it("counts on a terminal when there are many keys, then clears the line", () => {
    const tty = output(true);
    const progress = createProgressLine(tty, true);
    for (let done = 1; done <= 12; done++) progress.update(done, 12);
    progress.finish();
    expect(tty.written[0]).toBe("\r\x1b[2Kverifying keys: 1/12");
    expect(tty.written).toContain("\r\x1b[2Kverifying keys: 12/12");
    expect(tty.written.at(-1)).toBe("\r\x1b[2K");
  });

  it("stays silent off a terminal, for few keys, and when quiet", () => {
    for (const [isTTY, total, enabled] of [
      [false, 50, true],
      [true, 3, true],
      [true, 50, false],
    ] as const) {
      const out = output(isTTY);
      const progress = createProgressLine(out, enabled);
      for (let done = 1; done <= total; done++) progress.update(done, total);
      progress.finish();
      expect(out.written).toEqual([]);
    }
  });
});
