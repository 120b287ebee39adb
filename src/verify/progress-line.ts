/**
 * A one-line counter on a terminal while many keys are checked (rewritten in place, cleared at
 * the end). Nothing at all when the output is not a terminal or there are few keys.
 */

export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY: boolean;
}

export interface ProgressLine {
  update(done: number, total: number): void;
  finish(): void;
}

const MIN_TOTAL = 10;
const MIN_INTERVAL_MS = 100;

export function createProgressLine(output: ProgressOutput, enabled: boolean): ProgressLine {
  let shown = false;
  let lastDraw = 0;
  return {
    update(done, total) {
      if (!enabled || !output.isTTY || total < MIN_TOTAL) return;
      const now = Date.now();
      if (done < total && now - lastDraw < MIN_INTERVAL_MS) return;
      lastDraw = now;
      shown = true;
      output.write(`\r\x1b[2Kverifying keys: ${done}/${total}`);
    },
    finish() {
      if (shown) output.write("\r\x1b[2K");
      shown = false;
    },
  };
}
