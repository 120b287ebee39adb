import { BlobHeads } from "../git/blob-heads.js";
import { type DiffFile, DiffParser } from "../git/diff-parser.js";
import { emptyTree, mergeBase } from "../git/repository.js";
import { type GitContext, gitOutputLines } from "../git/run-git.js";
import {
  ADDED_LINES_DIFF_OPTIONS,
  ADDED_LINES_FLAGS,
  type ChangedFile,
  settleBinaryFiles,
} from "../sources/staged-diff.js";
import type { Finding } from "../types.js";

/**
 * Where each finding of a range scan sits in the change as a reviewer sees it: the lines the
 * whole change adds (`git diff base...head`, the pull request's "Files changed"). A key a
 * commit added and a later commit removed is in no such line, but it is still in the branch's
 * history; it is reported outside the diff.
 */

export interface AddedLine {
  readonly path: string;
  /** 1-based line number in the head version of the file. */
  readonly line: number;
  readonly text: string;
}

/** A line of the change that holds at least one key. */
export interface LeakingLine {
  readonly path: string;
  readonly line: number;
  /** The findings on this line, each moved to this place (path, line, columns). */
  readonly findings: readonly Finding[];
}

export interface LocatedFindings {
  readonly lines: readonly LeakingLine[];
  /** Findings on no added line of the change (removed again, or in a merge from elsewhere). */
  readonly outside: readonly Finding[];
}

/**
 * The lines `git diff base...head` adds, by path. A head that shares no history with its base
 * (an orphan branch, a force push of another history) is scanned whole, so all of it counts as
 * added: the diff is then from the empty tree.
 */
export async function addedLinesOfChange(
  base: string,
  head: string,
  context: GitContext,
): Promise<Map<string, AddedLine[]>> {
  const from = (await mergeBase(base, head, context)) ?? (await emptyTree(context));
  return addedLines(from, head, [], context, ["diff", `${base}...${head}`]);
}

/**
 * Every line of `paths` as `commit` holds them (a diff from the empty tree): where a key found
 * anywhere in the history is still to be seen in the checked-out commit.
 */
export async function linesAtCommit(
  commit: string,
  paths: readonly string[],
  context: GitContext,
): Promise<Map<string, AddedLine[]>> {
  if (paths.length === 0) return new Map();
  return addedLines(await emptyTree(context), commit, paths, context, ["show", commit]);
}

async function addedLines(
  from: string,
  head: string,
  paths: readonly string[],
  context: GitContext,
  label: readonly string[],
): Promise<Map<string, AddedLine[]>> {
  const args = [
    ...ADDED_LINES_DIFF_OPTIONS,
    // Paths are names from the scan, never patterns.
    "--literal-pathspecs",
    "diff",
    ...ADDED_LINES_FLAGS,
    "-U3",
    "--end-of-options",
    from,
    head,
    "--",
    ...paths,
  ];
  const changes: ChangedFile[] = [];
  const parser = new DiffParser((file: DiffFile) => {
    if (file.status !== "deleted") changes.push({ file });
  });
  for await (const lines of gitOutputLines(args, context, label)) {
    for (const line of lines) parser.line(line);
  }
  parser.flush();
  // As the range scan does: a text file the repository's attributes call binary has lines.
  const blobs = new BlobHeads(context);
  let settled: readonly ChangedFile[];
  try {
    settled = await settleBinaryFiles(changes, blobs, context);
  } finally {
    blobs.close();
  }
  const byPath = new Map<string, AddedLine[]>();
  for (const { file } of settled) {
    if (file.isBinary) continue;
    const lines = file.addedLines.map((text, index) => ({
      path: file.path,
      line: file.lineNumbers[index]!,
      text: text.endsWith("\r") ? text.slice(0, -1) : text,
    }));
    if (lines.length > 0) byPath.set(file.path, [...(byPath.get(file.path) ?? []), ...lines]);
  }
  return byPath;
}

function holds(line: AddedLine, finding: Finding): boolean {
  return line.text.includes(finding.secret) || line.text === finding.lineText;
}

/** The finding moved to `line` of the head version, columns recomputed where the key is. */
function movedTo(finding: Finding, line: AddedLine): Finding {
  const at = line.text.indexOf(finding.secret);
  const multiLine = finding.endLine !== finding.line;
  const column = at >= 0 ? at + 1 : finding.column;
  return {
    ...finding,
    path: line.path,
    line: line.line,
    column,
    endLine: line.line + (finding.endLine - finding.line),
    endColumn: multiLine || at < 0 ? finding.endColumn : column + finding.secret.length,
  };
}

/**
 * Each finding on every added line that holds its key: in its own file first, else anywhere in
 * the change (the file was renamed or the key copied by a later commit). A line holding a key
 * two rules found (a password in a `DB_PASSWORD=` line and in a connection URI) shows the
 * finding made on that very line, not both.
 */
export function locateFindings(
  findings: readonly Finding[],
  added: ReadonlyMap<string, readonly AddedLine[]>,
): LocatedFindings {
  const byLine = new Map<string, { place: AddedLine; candidates: Finding[] }>();
  const outside: Finding[] = [];
  for (const finding of findings) {
    const paths = [finding.path, ...(finding.occurrences ?? []).map((o) => o.path)];
    let places = [...new Set(paths)].flatMap((path) =>
      (added.get(path) ?? []).filter((line) => holds(line, finding)),
    );
    if (places.length === 0) {
      places = [...added.values()].flatMap((lines) => lines.filter((line) => holds(line, finding)));
    }
    if (places.length === 0) {
      outside.push(finding);
      continue;
    }
    for (const place of places) {
      const key = `${place.path}\0${place.line}`;
      const entry = byLine.get(key) ?? { place, candidates: [] };
      entry.candidates.push(finding);
      byLine.set(key, entry);
    }
  }
  const lines = [...byLine.values()]
    .map(({ place, candidates }) => ({
      path: place.path,
      line: place.line,
      findings: onePerSecret(candidates, place).map((finding) => movedTo(finding, place)),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return { lines, outside };
}

/** Of the findings of one secret on a line, the one made on a line of that text, else the first. */
function onePerSecret(candidates: readonly Finding[], place: AddedLine): Finding[] {
  const bySecret = new Map<string, Finding>();
  for (const finding of candidates) {
    const chosen = bySecret.get(finding.secret);
    const madeHere = (f: Finding) => f.lineText === place.text;
    if (!chosen || (!madeHere(chosen) && madeHere(finding))) bySecret.set(finding.secret, finding);
  }
  return [...bySecret.values()];
}
