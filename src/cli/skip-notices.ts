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
};

/** Reasons that mean content went unread: listed in full, and the scan is incomplete (exit 2). */
export const UNREAD_REASONS: ReadonlySet<SkipNotice["reason"]> = new Set([
  "unreadable",
  "missing-object",
]);

/** Examples listed per reason before the rest is summarised as a count. */
const EXAMPLES_PER_REASON = 5;

/**
 * Skip notices for stderr: one line per skipped file with --verbose, otherwise a count per
 * reason with a few examples. Files that could not be read are always listed in full: a scan
 * that missed content must say exactly what it missed.
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
    const listAll = verbose || UNREAD_REASONS.has(reason) || reason === "too-large";
    const shown = listAll ? notices : notices.slice(0, EXAMPLES_PER_REASON);
    lines.push(
      `skipped ${notices.length} ${notices.length === 1 ? "file" : "files"}: ${REASON_TEXT[reason]}`,
    );
    // Paths come from the scanned tree: escaped, so a name cannot drive the terminal.
    for (const notice of shown)
      lines.push(
        `  ${escapeControls(notice.path)}${notice.detail ? ` (${escapeControls(notice.detail)})` : ""}`,
      );
    if (shown.length < notices.length)
      lines.push(`  … and ${notices.length - shown.length} more (--verbose lists them)`);
  }
  return lines;
}
