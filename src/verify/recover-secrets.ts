import { resolve } from "node:path";
import type { ResolvedConfig } from "../config/load-config.js";
import { createDetector } from "../engine/detector.js";
import { blobByPathText } from "../git/blob-by-path-text.js";
import { runGitRaw } from "../git/run-git.js";
import { readRegularFileBytes } from "../read-regular-file.js";
import { decodeText } from "../sources/read-text.js";
import type { Finding, Fragment, ReportFinding } from "../types.js";

/**
 * Reports hold no secrets, so `keywarden verify` finds each one again where the report says it
 * was: the working-tree file, the index for a `staged` report, or `git show <commit>:<path>` for
 * history findings (the blob itself for one a tag names). The file is scanned again with the
 * same rules, and the hit with the report's fingerprint (a hash of rule id + secret) is the
 * secret: nothing else can match it.
 */

export type Recovered =
  | { readonly report: ReportFinding; readonly finding: Finding }
  | { readonly report: ReportFinding; readonly missing: string };

export interface RecoverOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly config: ResolvedConfig;
  /** A `staged` report: its keys are in the index, whatever the working tree holds since. */
  readonly fromIndex?: boolean;
  /** A `stdin` report: its path is only the name the input was given (`--path`, `<stdin>`). */
  readonly fromStdin?: boolean;
}

function locationOf(report: ReportFinding): string {
  return report.commit
    ? `${report.commit.slice(0, 12)}:${report.path}:${report.line}`
    : `${report.path}:${report.line}`;
}

/** A blob's bytes; undefined when git cannot read it. */
async function readBlob(object: string, options: RecoverOptions): Promise<Buffer | undefined> {
  const result = await runGitRaw(["cat-file", "blob", object], options);
  return result.code === 0 ? result.stdout : undefined;
}

/**
 * A blob a tag names without a commit: history reports it with the tag (or, for a lightweight
 * tag, the blob itself) as its commit and the tag's name as its path, which no tree holds.
 */
function readTaggedBlob(object: string, options: RecoverOptions): Promise<Buffer | undefined> {
  if (!/^[0-9a-f]{7,64}$/.test(object)) return Promise.resolve(undefined);
  return readBlob(`${object}^{blob}`, options);
}

/** A blob at a path whose name is not UTF-8, as the report wrote it (see blob-by-path-text.ts). */
async function readBlobByPathText(
  commit: string,
  path: string,
  options: RecoverOptions,
): Promise<Buffer | undefined> {
  const blob = await blobByPathText(commit, path, options);
  return blob ? readBlob(blob, options) : undefined;
}

/** The text at the report's place, or why it cannot be read. */
async function readSource(
  report: ReportFinding,
  options: RecoverOptions,
): Promise<{ text: string } | { unreadable: string }> {
  if (report.commit) {
    const result = await runGitRaw(["show", `${report.commit}:${report.path}`], options);
    if (result.code === 0) return { text: decodeText(result.stdout) };
    const byBytes = await readBlobByPathText(report.commit, report.path, options);
    if (byBytes) return { text: decodeText(byBytes) };
    const tagged = await readTaggedBlob(report.commit, options);
    if (tagged) return { text: decodeText(tagged) };
    // git's own words say which: no repository here, no such commit, no such path in it.
    const said =
      result.stderr.split("\n")[0]?.replace(/^fatal: /, "") || `git show exited ${result.code}`;
    return {
      unreadable: `cannot read ${locationOf(report)} (${said}); a history report is read from the repository it scanned: run verify there`,
    };
  }
  if (options.fromIndex) {
    // Stage 0 by path from the repository's top, as staged reports name their files.
    const staged = await runGitRaw(["show", `:0:${report.path}`], options);
    if (staged.code === 0) return { text: decodeText(staged.stdout) };
  }
  try {
    // Only a regular file: a FIFO now in the file's place would wait for a writer forever.
    return { text: decodeText(readRegularFileBytes(resolve(options.cwd, report.path))) };
  } catch {
    // A file of that name may hold the input (`cat app.env | keywarden stdin --path app.env`);
    // when none does, "run it where the scan ran" would send the user looking for one.
    if (options.fromStdin) {
      return {
        unreadable: `cannot read ${locationOf(report)}: the report is of standard input, which cannot be read again (pipe the same input to keywarden stdin --verify)`,
      };
    }
    // A working-tree report names files from where the scan ran: the likeliest cause.
    return {
      unreadable: `cannot read ${locationOf(report)} from ${options.cwd} (a report's paths are read from where verify runs: run it where the scan ran)`,
    };
  }
}

export async function recoverSecrets(
  reports: readonly ReportFinding[],
  options: RecoverOptions,
): Promise<Recovered[]> {
  const detector = createDetector(options.config.rules, {
    globalAllow: options.config.allow,
    maxDecodeDepth: options.config.decodeDepth,
  });
  const scanned = new Map<string, Promise<Finding[] | { unreadable: string }>>();
  const findingsIn = (report: ReportFinding) => {
    const key = `${report.commit ?? ""}\0${report.path}`;
    let found = scanned.get(key);
    if (!found) {
      found = readSource(report, options).then((source) => {
        if ("unreadable" in source) return source;
        const fragment: Fragment = {
          text: source.text,
          path: report.path,
          startLine: 1,
          ...(report.commit
            ? {
                git: {
                  commit: report.commit,
                  author: report.author ?? "",
                  email: report.email ?? "",
                  date: report.date ?? "",
                },
              }
            : {}),
        };
        return detector.detect(fragment);
      });
      scanned.set(key, found);
    }
    return found;
  };

  const recovered: Recovered[] = [];
  for (const report of reports) {
    const findings = await findingsIn(report);
    if ("unreadable" in findings) {
      recovered.push({ report, missing: findings.unreadable });
      continue;
    }
    const same = findings.filter(
      (f) => f.fingerprint === report.fingerprint && f.ruleId === report.ruleId,
    );
    // The recorded line first; a working-tree file may have moved the secret since.
    const finding = same.find((f) => f.line === report.line) ?? same[0];
    recovered.push(
      finding
        ? { report, finding }
        : { report, missing: `the secret is no longer at ${locationOf(report)}` },
    );
  }
  return recovered;
}
