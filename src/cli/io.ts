import type { Readable } from "node:stream";

export interface CliOutput {
  write(text: string): void;
  readonly isTTY: boolean;
}

/** Everything a command may touch of the outside world; nothing reads `process` deeper in. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
}

/** What a command handler may set on its way out. */
export interface CommandContext {
  readonly io: CliIo;
  exitCode: number;
}
