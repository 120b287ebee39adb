import { GitError } from "../errors.js";
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
 * The first bytes of blobs, enough for git's binary test, from one `git cat-file --batch`
 * started on the first request (a scan that asks for none starts no process). Each blob is
 * read past after its first bytes, never held.
 */

interface Waiting {
  readonly resolve: (head: Buffer | undefined) => void;
  readonly reject: (error: Error) => void;
}

interface Body {
  readonly head: Buffer;
  filled: number;
  /** Bytes still to come, with git's newline after the content. */
  remaining: number;
}

export class BlobHeads {
  private child: GitProcess | undefined;
  private readonly args = ["cat-file", "--batch"];
  private readonly waiting: Waiting[] = [];
  /** Why git stopped, once it has: later requests fail with it at once. */
  private failure: Error | undefined;
  private header: Buffer[] = [];
  private body: Body | undefined;

  constructor(
    private readonly context: GitContext,
    private readonly headSize = 8000,
  ) {}

  /** The first bytes of a blob; undefined when the repository does not have it. */
  head(id: string): Promise<Buffer | undefined> {
    const child = this.child ?? this.start();
    const answer = new Promise<Buffer | undefined>((resolve, reject) => {
      if (this.failure) reject(this.failure);
      else this.waiting.push({ resolve, reject });
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
    child.stdout.on("data", (chunk: Buffer) => this.read(chunk));
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

  private read(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const body = this.body;
      if (body) {
        const take = Math.min(body.remaining, chunk.length - offset);
        const copy = Math.min(take, body.head.length - body.filled);
        if (copy > 0) chunk.copy(body.head, body.filled, offset, offset + copy);
        body.filled += copy;
        body.remaining -= take;
        offset += take;
        if (body.remaining === 0) {
          this.body = undefined;
          this.waiting.shift()?.resolve(body.head);
        }
        continue;
      }
      const newline = chunk.indexOf(10, offset);
      if (newline === -1) {
        this.header.push(chunk.subarray(offset));
        return;
      }
      this.header.push(chunk.subarray(offset, newline));
      offset = newline + 1;
      // `<id> <type> <size>`, or `<id> missing` (nothing follows).
      const fields = Buffer.concat(this.header).toString("latin1").split(" ");
      this.header = [];
      if (fields.length < 3) {
        this.waiting.shift()?.resolve(undefined);
        continue;
      }
      const size = Number(fields[2]);
      this.body = {
        head: Buffer.allocUnsafe(Math.min(size, this.headSize)),
        filled: 0,
        remaining: size + 1,
      };
    }
  }
}
