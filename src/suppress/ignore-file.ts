import { ConfigError } from "../errors.js";
import {
  formatSuppressionEntry,
  parseSuppressionEntry,
  type SuppressionEntry,
} from "./suppression-entry.js";

/**
 * `.keywardenignore` (and `.gitleaksignore`, which is the same format without reasons):
 *
 *   # a comment line
 *   3f0c...e9                          # reason after a `#`
 *   config/test.env:3f0c...e9 test fixture, never deployed
 *   1b6da43b...:main.go:aws-access-key:20
 *
 * One entry per line; what follows the entry (after whitespace, optionally after `#`) is the
 * reason, kept for people and for `--report-unused-ignores`.
 */

export const IGNORE_FILE_NAME = ".keywardenignore";
export const GITLEAKS_IGNORE_FILE_NAME = ".gitleaksignore";

export interface IgnoreFileEntry {
  readonly entry: SuppressionEntry;
  readonly reason?: string;
  /** The file as given to the parser (for messages) and the 1-based line. */
  readonly file: string;
  readonly line: number;
  /** The folder the entry's path is written from (its file's); unknown: the findings' own. */
  readonly base?: string;
}

/** Splits `<entry> [# ]<reason>`; a path may hold spaces when a `#` marks the reason. */
function splitLine(line: string): { entryText: string; reason?: string } {
  const hash = line.search(/\s#/);
  if (hash >= 0) {
    const reason = line
      .slice(hash)
      .replace(/^\s*#\s*/, "")
      .trim();
    return { entryText: line.slice(0, hash).trim(), ...(reason ? { reason } : {}) };
  }
  const whole = line.trim();
  if (!("error" in parseSuppressionEntry(whole))) return { entryText: whole };
  const space = whole.search(/\s/);
  if (space < 0) return { entryText: whole };
  const reason = whole.slice(space).trim();
  return { entryText: whole.slice(0, space), ...(reason ? { reason } : {}) };
}

/** Parses an ignore file; a line that is not an entry is a ConfigError naming file and line. */
export function parseIgnoreFile(text: string, file: string): IgnoreFileEntry[] {
  const entries: IgnoreFileEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.trim();
    if (raw.length === 0 || raw.startsWith("#")) continue;
    const { entryText, reason } = splitLine(raw);
    const parsed = parseSuppressionEntry(entryText);
    if ("error" in parsed) {
      throw new ConfigError(`${file}:${index + 1}: ${parsed.error}`, file);
    }
    entries.push({ entry: parsed, ...(reason ? { reason } : {}), file, line: index + 1 });
  }
  return entries;
}

/** One line for `keywarden ignore add`, newline included. */
export function formatIgnoreLine(entry: SuppressionEntry, reason?: string): string {
  const oneLineReason = reason?.replace(/\s+/g, " ").trim();
  return `${formatSuppressionEntry(entry)}${oneLineReason ? `  # ${oneLineReason}` : ""}\n`;
}

/** Text to append to an existing file so the new line starts on a line of its own. */
export function appendIgnoreLine(existing: string, line: string): string {
  const header =
    existing.length === 0
      ? "# keywarden ignore file: one fingerprint per line, a reason after `#`.\n# Fingerprints are shown by every report (`keywarden scan --format json`).\n"
      : existing.endsWith("\n")
        ? ""
        : "\n";
  return `${existing}${header}${line}`;
}
