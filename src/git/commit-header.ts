import type { GitProvenance } from "../types.js";

/**
 * The header keywarden asks `git log` to write before each commit's diff or raw lines, and
 * its reading. Fields are separated by NUL, the one byte no author name, email or subject can
 * hold (any other, even a control byte, can be written into a commit). Author and email are
 * as the repository's .mailmap names them, as `git log` shows them. The date is asked raw
 * (seconds and offset) and written as ISO 8601 here: git's own ISO formats give up on a date
 * before 1970 in a time zone west of UTC and stop the whole log.
 */

/** Header lines start with a byte no diff or raw line starts with. */
export const HEADER = "\x01";
export const HEADER_BYTE = 1;
/** Commit, author, email, date, subject. */
export const HEADER_FIELDS = 5;

export const COMMIT_HEADER_ARGS = [
  "--date=raw",
  `--format=${HEADER}%H%x00%aN%x00%aE%x00%ad%x00%s`,
] as const;

/**
 * A commit's provenance from its header fields (the first without HEADER). A field git could
 * not fill (an author line it cannot parse) comes back as its own placeholder, read as empty.
 */
export function provenanceOf(fields: readonly string[]): GitProvenance {
  const [commit = "", author = "", email = "", date = "", message = ""] = fields;
  return {
    commit,
    author: author === "%aN" ? "" : author,
    email: email === "%aE" ? "" : email,
    date: isoDateOfRaw(date),
    message,
  };
}

/** Reads a whole header line (HEADER, then fields separated by NUL), as `git log -p` gives it. */
export function parseCommitHeader(line: string): GitProvenance {
  return provenanceOf(line.slice(HEADER.length).split("\0"));
}

const RAW_DATE = /^(-?\d+) ([+-])(\d\d)(\d\d)$/;

/**
 * `1767323045 +0000` as `2026-01-02T03:04:05+00:00`, the form of git's %aI; empty for a date
 * git could not read.
 */
export function isoDateOfRaw(raw: string): string {
  const parts = RAW_DATE.exec(raw);
  if (!parts) return "";
  const [, seconds = "", sign = "+", hours = "", minutes = ""] = parts;
  const offset = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const local = new Date((Number(seconds) + offset * 60) * 1000);
  // Four-digit years only: ISO 8601's longer ones are no form a report reader expects.
  const year = local.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return "";
  return `${local.toISOString().slice(0, 19)}${sign}${hours}:${minutes}`;
}
