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
 * The first bytes of blobs, enough for git's binary test, from one `git cat-file --batch`
 * started on the first request (a scan that asks for none starts no process). Each blob is
 * read past after its first bytes, never held.
 */

interface Waiting {
  readonly resolve: (head: Buffer | undefined) => void;
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
    headSize = 8000,
  ) {
    this.output = new BatchOutputParser({
      keep: () => headSize,
      object: (_sha, _type, _size, head) => this.waiting.shift()?.resolve(head),
      missing: () => this.waiting.shift()?.resolve(undefined),
    });
  }

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
