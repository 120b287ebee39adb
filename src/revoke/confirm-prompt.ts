import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

/**
 * Asks yes/no questions on a terminal, one line per answer. Only an explicit "y" or "yes" is
 * a yes: anything else, including end of input, leaves the key alone.
 */
export interface ConfirmPrompt {
  ask(question: string): Promise<boolean>;
  close(): void;
}

export function createConfirmPrompt(
  input: Readable,
  output: { write(text: string): void },
): ConfirmPrompt {
  const lines = createInterface({ input, terminal: false });
  const pending: ((line: string | undefined) => void)[] = [];
  const buffered: string[] = [];
  let ended = false;
  lines.on("line", (line) => {
    const waiter = pending.shift();
    if (waiter) waiter(line);
    else buffered.push(line);
  });
  lines.on("close", () => {
    ended = true;
    for (const waiter of pending.splice(0)) waiter(undefined);
  });
  return {
    async ask(question) {
      output.write(`${question} [y/N] `);
      const line =
        buffered.shift() ??
        (ended
          ? undefined
          : await new Promise<string | undefined>((resolve) => pending.push(resolve)));
      if (line === undefined) output.write("\n");
      return /^\s*y(?:es)?\s*$/i.test(line ?? "");
    },
    close() {
      lines.close();
    },
  };
}
