import { GitError } from "../errors.js";
import { CatFileBatch, type CatFileObject } from "../git/cat-file.js";
import {
  type CommitLogSelection,
  isCutWalk,
  type LoggedCommit,
  logCommits,
  logCommitsReadingOn,
} from "../git/commit-log.js";
import { taggedObjects } from "../git/tagged-objects.js";
import type { BlobPlace, BlobRevision, Fragment, GitProvenance } from "../types.js";
import type { GitSourceOptions } from "./git-source-options.js";
import { isLfsPointer } from "./lfs-pointer.js";
import { decodeText, isBinary, MAX_TEXT_BYTES } from "./read-text.js";

/**
 * Every unique blob of the selected history, read once. One `git log --raw` walk (oldest
 * first) names the commit and path that introduced each blob; one `git cat-file --batch`
 * process reads the blobs as the walk finds them. Both run at once; the walk runs ahead of the
 * reader by a bounded backlog and then waits, so memory holds the set of seen blob names, that
 * backlog and one blob.
 */

export interface HistoryProgress {
  /** Blobs read so far (commits, for a range: see `unit`). */
  readonly done: number;
  /** Blobs found so far by the walk; final once `walkDone`. */
  readonly total: number;
  /** What `done` and `total` count: blobs (the default), or a range's commits. */
  readonly unit?: "blobs" | "commits";
  readonly walkDone: boolean;
  readonly bytes: number;
  readonly commits: number;
}

export interface HistoryOptions extends GitSourceOptions {
  readonly selection: CommitLogSelection;
  /** For a partial clone: the blobs present locally (see listLocalBlobs); others are missing. */
  readonly localBlobs?: ReadonlySet<string>;
  /**
   * The blobs over maxFileSize, with their sizes (see listLargeBlobs): skipped by their size,
   * never asked of git.
   */
  readonly largeBlobs?: Promise<ReadonlyMap<string, number>>;
  /** The most bytes of a blob read as one text (default and most: MAX_TEXT_BYTES). */
  readonly maxTextBytes?: number;
  readonly onProgress?: (progress: HistoryProgress) => void;
  /** A commit adds a blob an earlier one added (each blob is read once, at its first place). */
  readonly onAddedAgain?: (sha: string, place: BlobPlace) => void;
  /**
   * Whether the config's allowlist covers everything found at this place (allowedPlaceMatcher).
   * A blob first read at such a place is read again at the first place it is not, so a copy of
   * an allowed file elsewhere is reported there; allowed places are never added again.
   */
  readonly isAllowedPlace?: (path: string, commit: string) => boolean;
}

interface Introduction {
  readonly sha: string;
  readonly path: string;
  readonly git: GitProvenance;
  readonly previous?: string;
  /** See BlobRevision.mergedFrom. */
  readonly mergedFrom: readonly string[] | undefined;
  /** See BlobRevision.baseOnly. */
  readonly baseOnly: boolean;
}

/** A first-in first-out queue without Array#shift's copying. */
class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

export async function* historyFragments(options: HistoryOptions): AsyncGenerator<Fragment> {
  const { onSkip, onProgress, onAddedAgain, localBlobs, maxFileSize, isExcluded, isAllowedPlace } =
    options;
  const seen = new Set<string>();
  /** Blobs read so far only at places the allowlist covers. */
  const readOnlyWhereAllowed = new Set<string>();
  const pending = new Queue<Introduction>();
  /** For each blob: how many queued blobs revise it (see BlobRevision.revisedLater). */
  const revisions = new Map<string, number>();
  // 8 MB of queued object names (about 200,000 blobs): most walks finish early, so progress
  // knows the total, while memory stays bounded on the largest histories.
  const maxTextBytes = Math.min(options.maxTextBytes ?? MAX_TEXT_BYTES, MAX_TEXT_BYTES);
  const reader = new CatFileBatch(options, {
    maxSize: Math.min(maxFileSize, maxTextBytes),
    aheadBytes: 8 * 1024 * 1024,
  });
  let total = 0;
  let done = 0;
  let bytes = 0;
  let commits = 0;
  let walkDone = false;
  let stopped = false;
  const report = () => onProgress?.({ done, total, walkDone, bytes, commits });

  const { selection } = options;
  const walkIsCut = isCutWalk(selection);

  /** Queues the new blobs of these commits and asks git for them. */
  const take = async (batch: readonly LoggedCommit[]) => {
    const large = await options.largeBlobs;
    const requests: string[] = [];
    for (const commit of batch) {
      commits++;
      for (const added of commit.blobs) {
        // Submodule pointers name commits of another repository.
        if (added.mode === "160000" || isExcluded?.(added.path)) continue;
        const isAllowed = isAllowedPlace?.(added.path, commit.info.commit) === true;
        let blob = added;
        if (seen.has(added.sha)) {
          if (isAllowed) continue;
          if (!readOnlyWhereAllowed.delete(added.sha)) {
            // Read once, but a copy, a revert or a cherry-pick adds the blob here too.
            onAddedAgain?.(added.sha, { path: added.path, git: commit.info });
            continue;
          }
          // Read again here as a text of its own: its first place hid all it holds.
          blob = { sha: added.sha, path: added.path, mode: added.mode };
        }
        seen.add(blob.sha);
        if (isAllowed) readOnlyWhereAllowed.add(blob.sha);
        if (localBlobs && !localBlobs.has(blob.sha)) {
          onSkip({
            path: blob.path,
            reason: "missing-object",
            detail: `blob ${blob.sha} (commit ${commit.info.commit.slice(0, 12)}) is not in this partial clone`,
          });
          continue;
        }
        const largeSize = large?.get(blob.sha);
        if (largeSize !== undefined) {
          // Counted as read, as one git streamed past would be.
          total++;
          done++;
          bytes += largeSize;
          onSkip({
            path: blob.path,
            reason: "too-large",
            detail: `blob ${blob.sha.slice(0, 12)}, commit ${commit.info.commit.slice(0, 12)}: ${largeSize} bytes, over the ${maxFileSize}-byte limit`,
          });
          continue;
        }
        total++;
        if (blob.previous) {
          revisions.set(blob.previous, (revisions.get(blob.previous) ?? 0) + 1);
        }
        // A walk cut short by date or count starts inside the life of a file: what the blobs
        // before the cut held (the one this revises, a merge's parents' ones) was added before
        // it, so those blobs are read first, as bases.
        const mergedFrom = walkIsCut ? blob.mergedFrom : undefined;
        if (walkIsCut) {
          for (const base of blob.previous ? [blob.previous] : (mergedFrom ?? [])) {
            const local = !localBlobs || localBlobs.has(base);
            // A base over the limit would be read past, unused (see fragmentOf).
            if (!local || large?.has(base) || seen.has(base)) continue;
            seen.add(base);
            pending.push({
              sha: base,
              path: blob.path,
              git: commit.info,
              previous: undefined,
              mergedFrom: undefined,
              baseOnly: true,
            });
            requests.push(base);
          }
        }
        // Every field set, `previous` or not: one object shape for the queue's reader. A
        // file only moved inside a cut walk holds what it held before: a base, nothing new.
        pending.push({
          sha: blob.sha,
          path: blob.path,
          git: commit.info,
          previous: blob.previous,
          mergedFrom,
          baseOnly: walkIsCut && blob.previous === blob.sha,
        });
        requests.push(blob.sha);
      }
    }
    await reader.request(requests);
  };

  const walk = (async () => {
    try {
      // A partial clone lacks objects by design: its walk stops at the first, as git's does.
      const commitBatches = options.localBlobs
        ? logCommits(selection, options)
        : logCommitsReadingOn(selection, options, (commit, reason, listed) =>
            onSkip({
              path: "(history)",
              wholeScan: true,
              reason: "unreadable",
              detail: listed
                ? `commit ${commit.slice(0, 12)}: ${reason}; its files were read from its own tree, each as brought by it`
                : `commit ${commit.slice(0, 12)}: ${reason}, nor can its own tree be read: its files are scanned only where a later commit holds them`,
            }),
          );
      for await (const batch of commitBatches) {
        if (stopped) break;
        await take(batch);
      }
      // All refs: also the blobs and trees a tag names without a commit.
      const allRefs = !selection.revisions?.length;
      if (allRefs && !walkIsCut && !stopped) {
        await take(await taggedObjects(options));
      }
    } catch (error) {
      // A damaged repository can stop the walk part-way: scan what it found, say what not.
      if (!(error instanceof GitError) || commits === 0) throw error;
      onSkip({
        path: "(history)",
        wholeScan: true,
        reason: "unreadable",
        detail: `the commit walk stopped after ${commits} commit${commits === 1 ? "" : "s"}: ${error.message}`,
      });
    } finally {
      walkDone = true;
      reader.end();
    }
  })();
  // Surfaced below, after the reader has drained; marked handled so an early failure waits.
  walk.catch(() => {});

  /** Whether a blob not yet taken from the queue revises `sha` (unknown until the walk ends). */
  const revisedLater = (sha: string) => !walkDone || revisions.has(sha);
  const revisionOf = ({ sha, previous, mergedFrom, baseOnly }: Introduction): BlobRevision => {
    if (mergedFrom !== undefined) {
      return { sha, revisedLater: revisedLater(sha), mergedFrom, baseOnly };
    }
    if (previous === undefined) return { sha, revisedLater: revisedLater(sha), baseOnly };
    const uses = (revisions.get(previous) ?? 1) - 1;
    if (uses > 0) revisions.set(previous, uses);
    else revisions.delete(previous);
    return {
      sha,
      previous,
      revisedLater: revisedLater(sha),
      previousRevisedLater: revisedLater(previous),
      baseOnly,
    };
  };

  const fragmentOf = (object: CatFileObject, intro: Introduction): Fragment | undefined => {
    // Counted for every blob taken, read or skipped.
    const revision = revisionOf(intro);
    // A base is no part of the selection: without it, its revision is read as a new text.
    if (intro.baseOnly && (object.kind !== "object" || isBinary(object.content))) return undefined;
    const where = `blob ${object.sha.slice(0, 12)}, commit ${intro.git.commit.slice(0, 12)}`;
    if (object.kind === "missing") {
      onSkip({ path: intro.path, reason: "missing-object", detail: `${where}: object missing` });
      return undefined;
    }
    if (object.kind === "unreadable") {
      onSkip({ path: intro.path, reason: "unreadable", detail: `${where}: ${object.detail}` });
      return undefined;
    }
    if (object.kind === "too-large") {
      bytes += object.size;
      if (object.size <= maxFileSize) {
        onSkip({
          path: intro.path,
          reason: "unreadable",
          detail: `${where}: ${object.size} bytes, more than one text can hold (${maxTextBytes} characters)`,
        });
        return undefined;
      }
      onSkip({
        path: intro.path,
        reason: "too-large",
        detail: `${where}: ${object.size} bytes, over the ${maxFileSize}-byte limit`,
      });
      return undefined;
    }
    bytes += object.content.length;
    if (isBinary(object.content)) {
      onSkip({ path: intro.path, reason: "binary", detail: where });
      return undefined;
    }
    if (isLfsPointer(object.content)) {
      onSkip({ path: intro.path, reason: "lfs-pointer", detail: where });
      return undefined;
    }
    return {
      text: decodeText(object.content),
      path: intro.path,
      startLine: 1,
      git: intro.git,
      blob: revision,
    };
  };

  let lastReport = 0;
  try {
    for await (const batch of reader.objects()) {
      for (const object of batch) {
        const intro = pending.shift();
        if (!intro) continue;
        done++;
        const fragment = fragmentOf(object, intro);
        if (fragment) yield fragment;
      }
      const now = Date.now();
      if (onProgress && now - lastReport >= 100) {
        lastReport = now;
        report();
      }
    }
    await walk;
    report();
  } finally {
    stopped = true;
    reader.close();
  }
}
