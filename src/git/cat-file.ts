import { BatchOutputParser } from "./batch-output.js";
import {
  collectStderr,
  exitCode,
  expectGitSuccess,
  firstMeaningfulLine,
  type GitContext,
  type GitProcess,
  spawnGit,
} from "./run-git.js";

/**
 * One long-lived `git cat-file --batch` process: object names go in on stdin, contents come
 * out on stdout in the same order. Requests wait once a bounded backlog is queued and objects
 * are read only as the consumer asks for them, so memory stays bounded by that backlog and one
 * object (objects over the size limit are streamed past, never held). Git dies on a corrupt
 * object (a damaged pack or loose object); that object is answered as unreadable and a new
 * process reads on from the next name, so one bad object does not end the scan.
 */

export type CatFileObject =
  | {
      readonly sha: string;
      readonly kind: "object";
      readonly type: string;
      readonly content: Buffer;
    }
  | {
      readonly sha: string;
      readonly kind: "too-large";
      readonly type: string;
      readonly size: number;
    }
  | { readonly sha: string; readonly kind: "missing" }
  /** Git could not read it (corrupt): `detail` is git's line saying why. */
  | { readonly sha: string; readonly kind: "unreadable"; readonly detail: string };

export interface CatFileOptions {
  /** Objects larger than this are not held in memory: reported as too-large. */
  readonly maxSize: number;
  /** How many bytes of requests may wait unsent (41 per object name). */
  readonly aheadBytes: number;
}

/** Names asked for and not yet answered, oldest first, without Array#shift's copying. */
class NameQueue {
  private names: (string | undefined)[] = [];
  private head = 0;
  push(names: readonly string[]): void {
    for (const name of names) this.names.push(name);
  }
  get first(): string | undefined {
    return this.names[this.head];
  }
  shift(): void {
    if (this.head >= this.names.length) return;
    this.names[this.head++] = undefined;
    if (this.head > 4096 && this.head * 2 > this.names.length) {
      this.names = this.names.slice(this.head);
      this.head = 0;
    }
  }
  all(): string[] {
    return this.names.slice(this.head) as string[];
  }
}

export class CatFileBatch {
  private child!: GitProcess;
  private stderr!: () => string;
  private exited!: Promise<number>;
  private readonly args = ["cat-file", "--batch", "--buffer"];
  /** The current process has exited: what is written now is lost (and asked again). */
  private closed = false;
  private ended = false;
  private stopped = false;
  private readonly unanswered = new NameQueue();

  constructor(
    private readonly context: GitContext,
    private readonly options: CatFileOptions,
  ) {
    this.start();
  }

  private start(): void {
    const child = spawnGit(this.args, this.context);
    this.child = child;
    this.closed = false;
    this.stderr = collectStderr(child);
    this.exited = exitCode(child);
    child.once("close", () => {
      if (this.child === child) this.closed = true;
    });
  }

  /** Asks for objects; resolves when the request is written (or buffered within limits). */
  async request(names: readonly string[]): Promise<void> {
    if (this.stopped || names.length === 0) return;
    // Kept until answered: a process that dies leaves them to the next one.
    this.unanswered.push(names);
    if (this.closed) return;
    const child = this.child;
    // One write for many names: a write per name costs more than git's answer to it.
    child.stdin.write(`${names.join("\n")}\n`);
    // Requests may run ahead of the reader up to a bound, so the caller (a commit walk) can
    // finish early and know the total; past it, wait for git to catch up.
    if (child.stdin.writableLength < this.options.aheadBytes) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        child.stdin.off("drain", done);
        child.off("close", done);
        resolve();
      };
      child.stdin.on("drain", done);
      child.once("close", done);
    });
  }

  /** No more requests: git answers what is queued, then exits. */
  end(): void {
    this.ended = true;
    this.child.stdin.end();
  }

  /** Stops git now (the consumer gave up early). */
  close(): void {
    this.stopped = true;
    if (this.child.exitCode === null) this.child.kill();
  }

  /** The answers, in request order, in batches (one per chunk of output read). */
  async *objects(): AsyncGenerator<CatFileObject[]> {
    const maxSize = this.options.maxSize;
    let batch: CatFileObject[] = [];
    const answered = (object: CatFileObject) => {
      this.unanswered.shift();
      batch.push(object);
    };
    try {
      for (;;) {
        // Objects over the size limit are read past: only their size is kept.
        const parser = new BatchOutputParser({
          keep: (size) => (size <= maxSize ? size : 0),
          object: (sha, type, size, content) => {
            answered(
              size <= maxSize
                ? { sha, kind: "object", type, content }
                : { sha, kind: "too-large", type, size },
            );
          },
          missing: (sha) => answered({ sha, kind: "missing" }),
        });
        for await (const chunk of this.child.stdout as AsyncIterable<Buffer>) {
          parser.push(chunk);
          if (batch.length > 0) {
            yield batch;
            batch = [];
          }
        }
        const failed = this.unanswered.first;
        // A git that could not start is said below (expectGitSuccess), as before.
        const code = failed === undefined ? 0 : await this.exited.catch(() => 0);
        const complaint = code !== 0 ? this.stderr() : "";
        // Git names the object it could not read ("packed object <id> ... is corrupt",
        // "unable to stream <id>"); any other failure ends the scan as before.
        if (this.stopped || failed === undefined || !complaint.includes(failed)) break;
        this.unanswered.shift();
        yield [{ sha: failed, kind: "unreadable", detail: firstMeaningfulLine(complaint) }];
        this.start();
        const rest = this.unanswered.all();
        if (rest.length > 0) this.child.stdin.write(`${rest.join("\n")}\n`);
        if (this.ended) this.child.stdin.end();
      }
      await expectGitSuccess(this.exited, this.args, this.stderr, this.context);
    } finally {
      this.close();
    }
  }
}
