import { GitError } from "../errors.js";
import { BatchOutputParser } from "./batch-output.js";
import {
  collectStderr,
  exitCode,
  type GitContext,
  type GitProcess,
  gitFailure,
  spawnFailure,
  spawnGit,
} from "./run-git.js";

/**
 * The first bytes of blobs, enough for git's binary test, or blobs whole up to a size, from one
 * `git cat-file --batch` started on the first request (a scan that asks for none starts no
 * process). What is past the bytes asked for is read past, never held.
 */

/** A blob's first bytes (all of them when it is no longer than asked) and its whole size. */
export interface BlobBytes {
  readonly bytes: Buffer;
  readonly size: number;
}

interface Waiting {
  /** How many bytes of a blob of this size to hold. */
  readonly keep: (size: number) => number;
  readonly resolve: (blob: BlobBytes | undefined) => void;
  readonly reject: (error: Error) => void;
}

export class BlobHeads {
  private child: GitProcess | undefined;
  private readonly args = ["cat-file", "--batch"];
  private readonly waiting: Waiting[] = [];
  /** Why git stopped, once it has: later requests fail with it at once. */
  private failure: Error | undefined;
  private readonly output: BatchOutputParser;

  constructor(
    private readonly context: GitContext,
    private readonly headSize = 8000,
  ) {
    // Answers come in the order asked: the first waiting request is the one being read.
    this.output = new BatchOutputParser({
      keep: (size) => this.waiting[0]?.keep(size) ?? 0,
      object: (_sha, _type, size, bytes) => this.waiting.shift()?.resolve({ bytes, size }),
      missing: () => this.waiting.shift()?.resolve(undefined),
    });
  }

  /** The first bytes of a blob; undefined when the repository does not have it. */
  head(id: string): Promise<Buffer | undefined> {
    const answer = this.request(id, () => this.headSize).then((blob) => blob?.bytes);
    answer.catch(() => {});
    return answer;
  }

  /**
   * A whole blob and its size, or only its size (no bytes) when it is larger than `maxSize`;
   * undefined when the repository does not have it.
   */
  read(id: string, maxSize: number): Promise<BlobBytes | undefined> {
    return this.request(id, (size) => (size <= maxSize ? size : 0));
  }

  private request(id: string, keep: (size: number) => number): Promise<BlobBytes | undefined> {
    const child = this.child ?? this.start();
    const answer = new Promise<BlobBytes | undefined>((resolve, reject) => {
      if (this.failure) reject(this.failure);
      else this.waiting.push({ keep, resolve, reject });
    });
    // A failure is raised where the answer is awaited; one never awaited is no crash.
    answer.catch(() => {});
    if (!this.failure) child.stdin.write(`${id}\n`);
    return answer;
  }

  /** No more requests: git exits once it has answered; stopped at once if answers are due. */
  close(): void {
    const child = this.child;
    if (!child) return;
    child.stdin.end();
    if (this.waiting.length > 0 && child.exitCode === null) child.kill();
  }

  private start(): GitProcess {
    const child = spawnGit(this.args, this.context);
    this.child = child;
    const stderr = collectStderr(child);
    child.stdout.on("data", (chunk: Buffer) => this.output.push(chunk));
    exitCode(child).then(
      (code) =>
        this.fail(
          code === 0
            ? new GitError("git cat-file stopped before answering", `git ${this.args.join(" ")}`)
            : gitFailure(this.args, stderr(), code, this.context.cwd),
        ),
      (error: unknown) => this.fail(spawnFailure(error, this.args)),
    );
    return child;
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const waiting of this.waiting.splice(0)) waiting.reject(error);
  }
}
