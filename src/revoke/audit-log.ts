import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { RuntimeError } from "../errors.js";
import { makeFoldersAt, reasonOf } from "../make-folders.js";
import type { RevocationMechanism } from "../types.js";

/**
 * The revocation audit log: one JSON object per line, appended and fsync'd one entry at a time,
 * before and after every provider call, so a crash or a network failure mid-run never loses
 * what was already sent. It never holds a secret: entries carry the redacted form, and every
 * string field is scrubbed of the raw values the caller names before it is written.
 *
 * It is also the memory between runs: a key whose revocation was confirmed gets no second
 * destructive call.
 */

export const DEFAULT_AUDIT_LOG = ".keywarden/revocations.jsonl";

export type AuditStep =
  | "plan"
  | "verify-before"
  | "request"
  | "response"
  | "verify-after"
  | "outcome";

export interface AuditEntry {
  /** ISO 8601. */
  readonly time: string;
  /** Groups the entries of one run. */
  readonly run: string;
  readonly mode: "dry-run" | "executed";
  readonly step: AuditStep;
  readonly rule: string;
  readonly provider: string;
  readonly fingerprint: string;
  /** Redacted. */
  readonly secret: string;
  readonly mechanism: RevocationMechanism;
  readonly revoker?: string;
  readonly method?: string;
  /** Where the request went (path and host; no query values that could hold a key). */
  readonly url?: string;
  readonly destructive?: boolean;
  readonly httpStatus?: number;
  /** plan/outcome: a revocation status; verify-*: a verification status; request: sending; response: answered | no-answer. */
  readonly outcome: string;
  readonly detail?: string;
}

/** What earlier runs did to one key. */
export interface KeyHistory {
  /** When a run confirmed the key revoked (provider rejected it afterwards). */
  readonly revokedAt?: string;
  /** When a destructive request for the key was last sent. */
  readonly destructiveSentAt?: string;
}

export interface AuditLog {
  readonly path: string;
  history(fingerprint: string): KeyHistory;
  /** Writes one entry (scrubbed of `sensitive`) and syncs it to disk before returning. */
  append(entry: AuditEntry, sensitive: readonly (string | undefined)[]): void;
  close(): void;
}

const SCRUBBED = "[secret]";

function scrub(value: string, sensitive: readonly string[]): string {
  let out = value;
  for (const secret of sensitive) out = out.split(secret).join(SCRUBBED);
  return out;
}

function scrubEntry(entry: AuditEntry, sensitive: readonly (string | undefined)[]): AuditEntry {
  // Short values would scrub ordinary words; real keys are far longer than this.
  const values = sensitive.filter((s): s is string => s !== undefined && s.length >= 8);
  if (values.length === 0) return entry;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(entry))
    out[name] = typeof value === "string" ? scrub(value, values) : value;
  return out as unknown as AuditEntry;
}

/** Reads an existing log into per-key history. A torn last line (a crash mid-write) is ignored. */
export function readAuditHistory(text: string): Map<string, KeyHistory> {
  const history = new Map<string, KeyHistory>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let entry: Partial<AuditEntry>;
    try {
      entry = JSON.parse(line) as Partial<AuditEntry>;
    } catch {
      continue;
    }
    if (
      typeof entry.fingerprint !== "string" ||
      entry.mode !== "executed" ||
      typeof entry.time !== "string"
    )
      continue;
    const known = history.get(entry.fingerprint) ?? {};
    if (entry.step === "outcome" && entry.outcome === "revoked") {
      history.set(entry.fingerprint, { ...known, revokedAt: entry.time });
    } else if (entry.step === "request" && entry.destructive === true) {
      history.set(entry.fingerprint, { ...known, destructiveSentAt: entry.time });
    }
  }
  return history;
}

export function openAuditLog(path: string): AuditLog {
  const failure = (what: string, error: unknown) =>
    new RuntimeError(`--audit-log ${path}: cannot ${what} (${reasonOf(error)})`);
  let existing = "";
  try {
    existing = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw failure("read the audit log", error);
  }
  const history = readAuditHistory(existing);
  let fd: number;
  try {
    makeFoldersAt(dirname(path));
    fd = openSync(path, "a", 0o600);
    // A log cut short by a crash gets its torn line ended, so the next entry parses.
    if (existing.length > 0 && !existing.endsWith("\n")) writeSync(fd, "\n");
  } catch (error) {
    throw failure("open the audit log for writing", error);
  }
  let open = true;
  return {
    path,
    history: (fingerprint) => history.get(fingerprint) ?? {},
    append(entry, sensitive) {
      if (!open) throw new RuntimeError(`audit log ${path} is closed`);
      const line = `${JSON.stringify(scrubEntry(entry, sensitive))}\n`;
      try {
        writeSync(fd, line);
        fsyncSync(fd);
      } catch (error) {
        // Refusing to go on is the point: an action that cannot be recorded is not taken.
        throw failure("write the audit log", error);
      }
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
