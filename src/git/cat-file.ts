import { BatchOutputParser } from "./batch-output.js";
import {
  collectStderr,
  exitCode,
  expectGitSuccess,
  type GitContext,
  type GitProcess,
  spawnGit,
} from "./run-git.js";

/**
 * One long-lived `git cat-file --batch` process: object names go in on stdin, contents come
 * out on stdout in the same order. Requests wait once a bounded backlog is queued and objects
 * are read only as the consumer asks for them, so memory stays bounded by that backlog and one
 * object (objects over the size limit are streamed past, never held).
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
  | { readonly sha: string; readonly kind: "missing" };

export interface CatFileOptions {
  /** Objects larger than this are not held in memory: reported as too-large. */
  readonly maxSize: number;
  /** How many bytes of requests may wait unsent (41 per object name). */
  readonly aheadBytes: number;
}

export class CatFileBatch {
  private readonly child: GitProcess;
  private readonly stderr: () => string;
  private readonly exited: Promise<number>;
  private readonly args = ["cat-file", "--batch", "--buffer"];
  private closed = false;

  constructor(
    private readonly context: GitContext,
    private readonly options: CatFileOptions,
  ) {
    this.child = spawnGit(this.args, context);
    this.stderr = collectStderr(this.child);
    this.exited = exitCode(this.child);
    this.child.once("close", () => {
      this.closed = true;
    });
  }

  /** Asks for objects; resolves when the request is written (or buffered within limits). */
  async request(names: readonly string[]): Promise<void> {
    if (this.closed || names.length === 0) return;
    // One write for many names: a write per name costs more than git's answer to it.
    this.child.stdin.write(`${names.join("\n")}\n`);
    // Requests may run ahead of the reader up to a bound, so the caller (a commit walk) can
    // finish early and know the total; past it, wait for git to catch up.
    if (this.child.stdin.writableLength < this.options.aheadBytes) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.child.stdin.off("drain", done);
        this.child.off("close", done);
        resolve();
      };
      this.child.stdin.on("drain", done);
      this.child.once("close", done);
    });
  }

  /** No more requests: git answers what is queued, then exits. */
  end(): void {
    this.child.stdin.end();
  }

  /** Stops git now (the consumer gave up early). */
  close(): void {
    if (this.child.exitCode === null) this.child.kill();
  }

  /** The answers, in request order, in batches (one per chunk of output read). */
  async *objects(): AsyncGenerator<CatFileObject[]> {
    const maxSize = this.options.maxSize;
    let batch: CatFileObject[] = [];
    // Objects over the size limit are read past: only their size is kept.
    const parser = new BatchOutputParser({
      keep: (size) => (size <= maxSize ? size : 0),
      object: (sha, type, size, content) => {
        batch.push(
          size <= maxSize
            ? { sha, kind: "object", type, content }
            : { sha, kind: "too-large", type, size },
        );
      },
      missing: (sha) => {
        batch.push({ sha, kind: "missing" });
      },
    });
    try {
      for await (const chunk of this.child.stdout as AsyncIterable<Buffer>) {
        parser.push(chunk);
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
      }
      await expectGitSuccess(this.exited, this.args, this.stderr, this.context);
    } finally {
      this.close();
    }
  }
}
