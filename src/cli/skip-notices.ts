import { escapeControls } from "../report/escape-controls.js";
import type { SkipNotice } from "../types.js";

const REASON_TEXT: Record<SkipNotice["reason"], string> = {
  binary: "binary",
  "too-large": "over --max-file-size",
  unreadable: "unreadable",
  "lfs-pointer": "Git LFS pointer (content not in the repository)",
  "missing-object": "missing from the repository (partial or damaged clone)",
  symlink: "symbolic link",
  "not-a-file": "not a regular file",
  "line-cut": "a key across the cut may be missed",
  "rule-overflow": "too deep for a rule's regex, whose keys there may be missed",
};

/** Reasons that mean content went unread: listed in full, and the scan is incomplete (exit 2). */
export const UNREAD_REASONS: ReadonlySet<SkipNotice["reason"]> = new Set([
  "unreadable",
  "missing-object",
  "line-cut",
  "rule-overflow",
]);

/** The first line of a reason's notices: what happened to how many. */
function headOf(reason: SkipNotice["reason"], count: number): string {
  if (reason === "line-cut")
    return `cut ${count} ${count === 1 ? "line" : "lines"} too long to read whole: ${REASON_TEXT[reason]}`;
  if (reason === "rule-overflow")
    return `searched ${count} ${count === 1 ? "file" : "files"} in part: ${REASON_TEXT[reason]}`;
  return `skipped ${count} ${count === 1 ? "file" : "files"}: ${REASON_TEXT[reason]}`;
}

/**
 * What an incomplete scan missed, for its closing line: "2 files or objects could not be
 * read", "1 line was cut".
 */
export function describeUnread(unread: readonly SkipNotice[]): string {
  const cuts = unread.filter((notice) => notice.reason === "line-cut").length;
  const overflows = unread.filter((notice) => notice.reason === "rule-overflow").length;
  const others = unread.length - cuts - overflows;
  const parts: string[] = [];
  if (others > 0)
    parts.push(
      `${others} ${others === 1 ? "file or object" : "files or objects"} could not be read`,
    );
  if (cuts > 0) parts.push(`${cuts} ${cuts === 1 ? "line was" : "lines were"} cut`);
  if (overflows > 0)
    parts.push(
      `${overflows} ${overflows === 1 ? "file was" : "files were"} searched in part (a rule ran out of regex stack)`,
    );
  return parts.join(" and ");
}

/** Examples listed per reason before the rest is summarised as a count. */
const EXAMPLES_PER_REASON = 5;

/**
 * Files listed per reason when their content went unread, before the rest is a count: a scan
 * that missed content says what it missed, but a partial clone of a large history misses
 * thousands of blobs, and a closing line under thousands of lines goes unseen.
 */
const MOST_UNREAD_LISTED = 100;

/**
 * Skip notices for stderr: one line per skipped file with --verbose, otherwise a count per
 * reason with a few examples. Files whose content went unread (and those over the size limit)
 * are listed up to a hundred; --verbose and the JSON report's `summary.skipped` name all.
 */
export function describeSkips(skipped: readonly SkipNotice[], verbose: boolean): string[] {
  const byReason = new Map<SkipNotice["reason"], SkipNotice[]>();
  for (const notice of skipped) {
    const list = byReason.get(notice.reason);
    if (list) list.push(notice);
    else byReason.set(notice.reason, [notice]);
  }
  const lines: string[] = [];
  for (const [reason, notices] of byReason) {
    const listedLong = UNREAD_REASONS.has(reason) || reason === "too-large";
    const shown = verbose
      ? notices
      : notices.slice(0, listedLong ? MOST_UNREAD_LISTED : EXAMPLES_PER_REASON);
    lines.push(headOf(reason, notices.length));
    // Paths come from the scanned tree: escaped, so a name cannot drive the terminal.
    for (const notice of shown)
      lines.push(
        `  ${escapeControls(notice.path)}${notice.detail ? ` (${escapeControls(notice.detail)})` : ""}`,
      );
    if (shown.length < notices.length)
      lines.push(
        `  … and ${notices.length - shown.length} more (--verbose lists them, as the JSON report does)`,
      );
  }
  return lines;
}
