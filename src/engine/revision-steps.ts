import jestDiffSequences from "@jest/diff-sequences";
import type { ChangedZone, KnownCommon } from "./revision.js";

// Its types describe the CommonJS build (the function under `default`); ESM gets the function.
const diffSequences = jestDiffSequences as unknown as typeof jestDiffSequences.default;

/**
 * A commit that edits a file in several far-apart places changes one long stretch between its
 * common beginning and end, most of it unchanged. Taken as a chain of revisions, each making
 * one more of the edits (the new text up to the end of that edit, then the old text), every step
 * changes one short stretch, so what the rest of the text found is kept at each step. A line
 * diff of the changed stretch (Jest's diff-sequences) finds the edits.
 */

/** Edits closer than this many unchanged lines are made in one step. */
const JOIN_WITHIN_LINES = 16;

/** More steps than this cost more than a scan of the whole text saves. */
const MAX_STEPS = 16;

/** A line diff of longer stretches than this costs more than it can save. */
const MAX_DIFF_LINES = 20_000;

/**
 * A line diff gives up after this many line comparisons per line of the stretch. A diff's
 * comparisons grow with its lines times its edits: in 60,000 lines, 3 edits took under one per
 * line and 30 edits under three, but a rewrite of all 9,000 lines of a file took about 2 s. Far
 * fewer comparisons than that already cost more than a scan of the whole text.
 */
const COMPARISONS_PER_LINE = 8;

/** An edited stretch of whole lines: where it ends in the old text, where it lies in the new. */
interface Edit {
  readonly oldEnd: number;
  readonly newStart: number;
  readonly newEnd: number;
}

/** One revision of the chain, and what it shares with the one before (all but its edit). */
export interface RevisionStep {
  readonly text: string;
  readonly known: KnownCommon;
}

/**
 * The texts between `old` and `text`, one edit more each, ending with `text`; undefined when
 * the change is one edit, or too many, or edits most of the text.
 */
export function revisionSteps(
  old: string,
  text: string,
  zone: ChangedZone,
  mostOfTheText: number,
): RevisionStep[] | undefined {
  // Counted before splitting: a lock file's stretch can hold a hundred thousand lines.
  const oldLineCount = lineBreaks(old, zone.start, zone.oldEnd, MAX_DIFF_LINES) + 1;
  const newLineCount = lineBreaks(text, zone.start, zone.end, MAX_DIFF_LINES - oldLineCount) + 1;
  if (oldLineCount + newLineCount > MAX_DIFF_LINES) return undefined;
  const oldLines = old.slice(zone.start, zone.oldEnd).split("\n");
  const newLines = text.slice(zone.start, zone.end).split("\n");
  const edits = lineEdits(oldLines, newLines, zone.start);
  if (!edits || edits.length < 2 || edits.length > MAX_STEPS) return undefined;
  let edited = 0;
  for (const edit of edits) edited += edit.newEnd - edit.newStart;
  if (edited > text.length * mostOfTheText) return undefined;
  return edits.map((edit, i) => ({
    text: i === edits.length - 1 ? text : text.slice(0, edit.newEnd) + old.slice(edit.oldEnd),
    // Before its edit a step is the new text, and after it the old text, as the one before.
    known: { prefix: edit.newStart, suffix: Math.max(0, old.length - edit.oldEnd) },
  }));
}

/** The line breaks in text[from, to), counted up to one past `limit`. */
function lineBreaks(text: string, from: number, to: number, limit: number): number {
  let count = 0;
  for (let at = text.indexOf("\n", from); at !== -1 && at < to && count <= limit; count++) {
    at = text.indexOf("\n", at + 1);
  }
  return count;
}

/** Thrown to stop a line diff over its budget. */
const OVER_BUDGET = Symbol("over budget");

/**
 * The edited stretches of whole lines, joined when close, as offsets from `offset`; undefined
 * when the lines differ in too many places to find them cheaply.
 */
export function lineEdits(
  oldLines: string[],
  newLines: string[],
  offset: number,
): Edit[] | undefined {
  // In line numbers first: [old end, new start, new end].
  const edits: [number, number, number][] = [];
  let oldLine = 0;
  let newLine = 0;
  const editUpTo = (oldCommon: number, newCommon: number) => {
    if (oldCommon === oldLine && newCommon === newLine) return;
    const last = edits.at(-1);
    // Joined with the edit before when few unchanged lines lie between.
    if (last && newLine - last[2] < JOIN_WITHIN_LINES) {
      last[0] = oldCommon;
      last[2] = newCommon;
    } else {
      edits.push([oldCommon, newLine, newCommon]);
    }
  };
  let comparisons = COMPARISONS_PER_LINE * (oldLines.length + newLines.length);
  try {
    diffSequences(
      oldLines.length,
      newLines.length,
      (a, b) => {
        if (--comparisons < 0) throw OVER_BUDGET;
        return oldLines[a] === newLines[b];
      },
      (count, oldCommon, newCommon) => {
        editUpTo(oldCommon, newCommon);
        oldLine = oldCommon + count;
        newLine = newCommon + count;
      },
    );
  } catch (error) {
    if (error === OVER_BUDGET) return undefined;
    throw error;
  }
  editUpTo(oldLines.length, newLines.length);
  const oldStarts = lineStarts(oldLines, offset);
  const newStarts = lineStarts(newLines, offset);
  return edits.map(([oldEnd, newStart, newEnd]) => ({
    oldEnd: oldStarts[oldEnd]!,
    newStart: newStarts[newStart]!,
    newEnd: newStarts[newEnd]!,
  }));
}

/** The offset of each line's start, and one past the end of the last line's line break. */
function lineStarts(lines: readonly string[], offset: number): number[] {
  const starts = [offset];
  let at = offset;
  for (const line of lines) {
    at += line.length + 1;
    starts.push(at);
  }
  return starts;
}
