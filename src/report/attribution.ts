import type { ReportFinding } from "../types.js";

/**
 * Where a history finding came from, in words: `commit: 0820eea98967 by Ada <ada@…> on 2024-…`,
 * or, for content a tag names without a commit, `ref: refs/tags/keys (0820eea98967)` with the
 * tagger when the tag has one. Parts git left empty (a lightweight tag has no tagger, a commit
 * may have no author name) are left out rather than printed blank. `quote` makes the repository's
 * own text (names, e-mails, ref names) safe for the report's medium; `abbreviate` shortens object
 * ids to 12 digits, for a person's eyes. Undefined without git data.
 */
export function attributionText(
  finding: ReportFinding,
  { quote, abbreviate }: { quote: (text: string) => string; abbreviate: boolean },
): string | undefined {
  if (!finding.commit) return undefined;
  const id = abbreviate ? finding.commit.slice(0, 12) : finding.commit;
  const place = finding.ref ? `ref: ${quote(finding.ref)} (${id})` : `commit: ${id}`;
  const name = finding.author ? quote(finding.author) : "";
  const email = finding.email ? `<${quote(finding.email)}>` : "";
  const who = [name, email].filter(Boolean).join(" ");
  return [place, who && `by ${who}`, finding.date && `on ${quote(finding.date)}`]
    .filter(Boolean)
    .join(" ");
}
