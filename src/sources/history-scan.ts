import {
  assertCommitExists,
  assertDateParses,
  hasRefs,
  isShallowRepository,
  listLargeBlobs,
  listLocalBlobs,
  probeRepository,
  shallowBoundary,
} from "../git/repository.js";
import type { Fragment } from "../types.js";
import { rangeFragments } from "./commit-range.js";
import { type HistoryOptions, type HistoryProgress, historyFragments } from "./history-blobs.js";
import type { AddedLinesOptions } from "./staged-diff.js";

/**
 * What `keywarden history` scans: every blob of the selected refs, or the lines a range of
 * commits adds. Checks the repository first, so an empty repository or a shallow clone gets a
 * sentence rather than a git error, and a partial clone is read without fetching.
 */
export interface HistoryScanOptions extends AddedLinesOptions {
  /** `A..B`: only the lines these commits add. */
  readonly range?: string;
  /** Walk this ref instead of all refs. */
  readonly branch?: string;
  readonly since?: string;
  readonly maxCount?: number;
  /** One line for the person running the scan (shallow clone, nothing to scan...). */
  readonly onNote: (text: string) => void;
  readonly onProgress?: (progress: HistoryProgress) => void;
  readonly onAddedAgain?: HistoryOptions["onAddedAgain"];
  readonly isAllowedPlace?: HistoryOptions["isAllowedPlace"];
}

export async function* historyScanFragments(options: HistoryScanOptions): AsyncGenerator<Fragment> {
  if (options.range !== undefined) {
    // A range reads its own commits: of the repository, only whether its history is cut.
    const shallowBoundaryCommits = (await isShallowRepository(options))
      ? await shallowBoundary(options)
      : undefined;
    yield* rangeFragments({
      ...options,
      range: options.range,
      ...(shallowBoundaryCommits ? { shallowBoundary: shallowBoundaryCommits } : {}),
    });
    return;
  }
  const state = await probeRepository(options);
  // Without a commit, a ref can still name a blob or a tree (a tag of a key file).
  if (!state.hasCommits && !(await hasRefs(options))) {
    options.onNote("the repository has no commits yet: nothing to scan");
    return;
  }
  if (options.branch !== undefined) await assertCommitExists(options.branch, options);
  if (options.since !== undefined) await assertDateParses(options.since, options);
  if (state.isShallow) {
    options.onNote(
      "shallow clone: commits before the clone's boundary are not scanned (git fetch --unshallow to include them)",
    );
  }
  const localBlobs = state.isPartialClone ? await listLocalBlobs(options) : undefined;
  if (localBlobs) {
    options.onNote(
      "partial clone: blobs not fetched are listed as missing, not downloaded (fetch them to scan them)",
    );
  }
  // Listed while the walk starts; the walk waits for the list before asking for any blob.
  const largeBlobs = Number.isFinite(options.maxFileSize)
    ? listLargeBlobs(options, options.maxFileSize)
    : undefined;
  largeBlobs?.catch(() => {});
  yield* historyFragments({
    ...options,
    ...(largeBlobs ? { largeBlobs } : {}),
    selection: {
      ...(options.branch !== undefined ? { revisions: [options.branch] } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    },
    ...(localBlobs ? { localBlobs } : {}),
  });
}
