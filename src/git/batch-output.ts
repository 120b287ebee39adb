/**
 * The output of `git cat-file --batch`, read chunk by chunk as it comes: for each object a
 * header line `<name> <type> <size>` (or `<name> missing`, and nothing follows), then its
 * content and a newline. Only the first `keep(size)` bytes of a content are held; the rest is
 * read past, so a reader decides how much of each object it pays for.
 */
export interface BatchOutputHandler {
  /** How many bytes of an object of this size to hold (more than `size` holds it all). */
  keep(size: number): number;
  /** An object, with the bytes of its content kept. */
  object(sha: string, type: string, size: number, content: Buffer): void;
  missing(sha: string): void;
}

const NOTHING = Buffer.alloc(0);

export class BatchOutputParser {
  private header: Buffer[] = [];
  private sha = "";
  private type = "";
  private size = 0;
  /** Bytes of the current content still to come, with its newline; -1 between objects. */
  private remaining = -1;
  private kept = NOTHING;
  private filled = 0;

  constructor(private readonly handler: BatchOutputHandler) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining >= 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        // The last byte of a content is git's separating newline: never copied.
        const copy = Math.min(take, this.kept.length - this.filled);
        if (copy > 0) chunk.copy(this.kept, this.filled, offset, offset + copy);
        this.filled += copy;
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          const kept = this.kept;
          this.remaining = -1;
          this.kept = NOTHING;
          this.handler.object(this.sha, this.type, this.size, kept);
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
      const parts = Buffer.concat(this.header).toString("utf8").split(" ");
      this.header = [];
      const sha = parts[0] ?? "";
      if (parts.length < 3) {
        this.handler.missing(sha);
        continue;
      }
      const type = parts[1] ?? "";
      const size = Number(parts[2]);
      const keep = Math.min(size, this.handler.keep(size));
      if (keep === size && offset + size < chunk.length) {
        // The whole content (and its newline) is in this chunk: a view of it, not a copy.
        this.handler.object(sha, type, size, chunk.subarray(offset, offset + size));
        offset += size + 1;
        continue;
      }
      this.sha = sha;
      this.type = type;
      this.size = size;
      this.kept = Buffer.allocUnsafe(keep);
      this.filled = 0;
      this.remaining = size + 1;
    }
  }
}
