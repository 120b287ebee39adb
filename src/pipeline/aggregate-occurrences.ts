import type { BlobPlace, Finding, Occurrence } from "../types.js";

/**
 * The findings, and each again at the later places that added its blob again (`addedAgain`: a
 * blob is read once, at its first place), after all of the input.
 */
export function withPlacesAddedAgain(
  findings: readonly Finding[],
  addedAgain: ReadonlyMap<string, readonly BlobPlace[]>,
): Finding[] {
  const elsewhere = findings.flatMap((finding) =>
    (finding.blob === undefined ? [] : (addedAgain.get(finding.blob) ?? [])).map((place) => ({
      ...finding,
      path: place.path,
      git: place.git,
    })),
  );
  return [...findings, ...elsewhere];
}

/**
 * In a history scan one secret shows up once per blob that holds it: every later version of
 * the file that keeps the key is a new blob. These collapse into one finding per rule and
 * secret (its fingerprint): the first one in input order is kept (history sources yield blobs
 * oldest commit first, so that is the commit that introduced the key) and `occurrences` lists
 * every place it was seen, the first included, so its length is the count of occurrences.
 */
export function aggregateOccurrences(findings: readonly Finding[]): Finding[] {
  const groups = new Map<
    string,
    { first: Finding; occurrences: Occurrence[]; places: Set<string> }
  >();
  for (const finding of findings) {
    const occurrence: Occurrence = {
      path: finding.path,
      line: finding.line,
      ...(finding.git ? { commit: finding.git.commit, date: finding.git.date } : {}),
    };
    const place = `${finding.path}\0${finding.line}\0${finding.git?.commit ?? ""}`;
    const group = groups.get(finding.fingerprint);
    if (!group) {
      groups.set(finding.fingerprint, {
        first: finding,
        occurrences: [occurrence],
        places: new Set([place]),
      });
    } else if (!group.places.has(place)) {
      group.places.add(place);
      group.occurrences.push(occurrence);
    }
  }
  return [...groups.values()].map(({ first, occurrences }) => ({ ...first, occurrences }));
}
