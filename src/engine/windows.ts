import type { RegexReach } from "../config/regex-reach.js";
import type { LineIndex } from "./line-index.js";

/**
 * Windows of text around keyword hits, where a rule's regex runs instead of the whole text.
 *
 * A rule's reach (see config/regex-reach.ts) bounds the text one match and its look-arounds can
 * read: at most `chars` characters and `lines` line breaks. A match whose keyword lies in that
 * text therefore lies within one reach of the keyword. Each window spans two reaches on each
 * side, and only matches at least one reach away from a cut edge are kept (`acceptFrom`,
 * `acceptTo`). Those read no text beyond the window, so the regex finds them exactly as it would
 * in the whole text; a match the cut could have changed is dropped.
 */
/** Flat [from, to, acceptFrom, acceptTo] quadruples, ascending and disjoint. */
export type Windows = number[];

/**
 * The windows around keyword hits of one rule in a text of `length` characters.
 * `hitStarts` ascend; each keyword ends at most `keywordLength` after its start.
 */
export function keywordWindows(
  hitStarts: readonly number[],
  keywordLength: number,
  reach: RegexReach,
  lines: LineIndex,
  length: number,
): Windows {
  const windows: Windows = [];
  const span = 2 * reach.chars;
  const lineBound = reach.lines !== Number.POSITIVE_INFINITY;
  const lineCount = lines.lineCount();
  // Without a char bound, every hit on a line gets that line's window: one per line will do.
  let sameWindowUntil = -1;
  for (const start of hitStarts) {
    const end = Math.min(length, start + keywordLength);
    if (end <= sameWindowUntil) continue;
    const count = windows.length;
    const lastTo = count > 0 ? windows[count - 3]! : -1;
    // Inside the last window and its accepted part, wherever the line bound falls.
    if (end + span <= lastTo && end + reach.chars <= windows[count - 1]!) continue;
    let from = Math.max(0, start - span);
    let acceptFrom = from === 0 ? 0 : start - reach.chars;
    let to = Math.min(length, end + span);
    let acceptTo = to === length ? length : end + reach.chars;
    if (lineBound) {
      // Lines up and down from the keyword's, each bound tightening the char bound where nearer.
      const first = lines.lineOf(start);
      const last = lines.lineOf(end);
      if (first - reach.lines >= 1) {
        acceptFrom = Math.max(acceptFrom, lines.lineStart(first - reach.lines));
      }
      if (first - 2 * reach.lines >= 1) {
        // The line break before that line too: look-behinds and `\b` read it.
        from = Math.max(from, lines.lineStart(first - 2 * reach.lines) - 1);
      }
      if (last + reach.lines + 1 < lineCount) {
        acceptTo = Math.min(acceptTo, lines.lineStart(last + reach.lines + 1) - 1);
      }
      if (last + 2 * reach.lines + 1 < lineCount) {
        to = Math.min(to, lines.lineStart(last + 2 * reach.lines + 1));
      }
      if (span === Number.POSITIVE_INFINITY) {
        sameWindowUntil = last + 1 < lineCount ? lines.lineStart(last + 1) - 1 : length;
      }
    }
    if (count > 0 && from <= lastTo) {
      // Overlaps the last window: they become one. A guard that holds for a nearer edge holds for
      // a farther one, so the union accepts what either accepted.
      windows[count - 3] = Math.max(lastTo, to);
      windows[count - 1] = Math.max(windows[count - 1]!, acceptTo);
      continue;
    }
    windows.push(from, to, acceptFrom, acceptTo);
  }
  return windows;
}
