/**
 * Edits (insert, delete, replace, swap of two neighbours) that turn `a` into `b`: the optimal
 * string alignment distance, which counts a typed-in-the-wrong-order pair as one slip.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const cost: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const replace = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        cost[i - 1]![j]! + 1,
        cost[i]![j - 1]! + 1,
        cost[i - 1]![j - 1]! + replace,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, cost[i - 2]![j - 2]! + 1);
      cost[i]![j] = best;
    }
  }
  return cost[a.length]![b.length]!;
}

/**
 * The known name a misspelt one most likely meant, for a "did you mean" hint: the nearest by
 * edit distance, ignoring case (`secretgroup` is `secretGroup`), and only when the slip is small
 * beside the word (about one edit in three letters), so an unrelated name suggests nothing.
 */
export function closestName(word: string, known: readonly string[]): string | undefined {
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}
