/**
 * Inline SVG charts for the HTML report: plain markup, no script and no network, so they render
 * the same in any browser, in print, and with scripts blocked.
 */

export interface Bar {
  readonly label: string;
  readonly count: number;
  /** CSS colour of the bar. */
  readonly color: string;
  /** data-* attributes that make the bar a filter shortcut (name → value). */
  readonly filter?: { readonly name: string; readonly value: string };
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const ROW_HEIGHT = 26;
const LABEL_WIDTH = 150;
const BAR_AREA = 260;
const COUNT_WIDTH = 50;

/** Horizontal bars, one per label, longest first as given. */
export function horizontalBarChart(title: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  const width = LABEL_WIDTH + BAR_AREA + COUNT_WIDTH;
  const height = Math.max(1, bars.length) * ROW_HEIGHT + 8;
  const rows = bars.map((bar, index) => {
    const y = 4 + index * ROW_HEIGHT;
    const length = Math.max(2, Math.round((bar.count / max) * BAR_AREA));
    const filter = bar.filter
      ? ` class="bar filter-link" data-filter-name="${escapeHtml(bar.filter.name)}" data-filter-value="${escapeHtml(bar.filter.value)}" tabindex="0" role="button"`
      : ` class="bar"`;
    const label = bar.label.length > 22 ? `${bar.label.slice(0, 21)}…` : bar.label;
    return [
      `<g${filter}>`,
      `<title>${escapeHtml(`${bar.label}: ${bar.count}`)}</title>`,
      `<text x="${LABEL_WIDTH - 8}" y="${y + 17}" text-anchor="end" class="chart-label">${escapeHtml(label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${length}" height="${ROW_HEIGHT - 8}" rx="3" fill="${escapeHtml(bar.color)}"></rect>`,
      `<text x="${LABEL_WIDTH + length + 6}" y="${y + 17}" class="chart-count">${bar.count}</text>`,
      "</g>",
    ].join("");
  });
  return [
    `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`,
    ...rows,
    "</svg></figure>",
  ].join("\n");
}

export interface TimelineBucket {
  /** "2024-03" (month) or "2024" (year). */
  readonly label: string;
  readonly count: number;
}

/** Buckets ISO dates by month, filling empty months so gaps show; by year when the span is long. */
export function bucketDates(dates: readonly string[]): TimelineBucket[] {
  const months = dates
    .map((date) => /^(\d{4})-(\d{2})/.exec(date))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]) * 12 + Number(match[2]) - 1);
  if (months.length === 0) return [];
  const first = Math.min(...months);
  const last = Math.max(...months);
  const byYear = last - first >= 48;
  const key = (month: number) =>
    byYear
      ? String(Math.floor(month / 12))
      : `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}`;
  const counts = new Map<string, number>();
  const step = byYear ? 12 : 1;
  const start = byYear ? first - (first % 12) : first;
  for (let month = start; month <= last; month += step) counts.set(key(month), 0);
  for (const month of months) counts.set(key(month), (counts.get(key(month)) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count }));
}

/** Vertical columns over time: when leaks were introduced. */
export function timelineChart(title: string, buckets: readonly TimelineBucket[]): string {
  const columnWidth = buckets.length > 36 ? 12 : 24;
  const gap = 4;
  const plotHeight = 140;
  // Room for the count axis and the first rotated label.
  const left = 64;
  const width = Math.max(320, left + buckets.length * (columnWidth + gap) + 10);
  const height = plotHeight + 64;
  const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 12));
  const columns = buckets.map((bucket, index) => {
    const x = left + index * (columnWidth + gap);
    const h = bucket.count === 0 ? 0 : Math.max(2, Math.round((bucket.count / max) * plotHeight));
    const y = 10 + plotHeight - h;
    const label =
      index % labelEvery === 0
        ? `<text x="${x + columnWidth / 2}" y="${plotHeight + 28}" text-anchor="end" transform="rotate(-45 ${x + columnWidth / 2} ${plotHeight + 28})" class="chart-label">${escapeHtml(bucket.label)}</text>`
        : "";
    return `<g class="bar"><title>${escapeHtml(`${bucket.label}: ${bucket.count}`)}</title><rect x="${x}" y="${y}" width="${columnWidth}" height="${h}" rx="2" fill="#6f42c1"></rect>${label}</g>`;
  });
  return [
    `<figure class="chart chart-wide"><figcaption>${escapeHtml(title)}</figcaption>`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<line x1="${left - 4}" y1="${10 + plotHeight}" x2="${width - 6}" y2="${10 + plotHeight}" class="axis"></line>`,
    `<text x="${left - 8}" y="16" text-anchor="end" class="chart-count">${max}</text>`,
    `<text x="${left - 8}" y="${10 + plotHeight}" text-anchor="end" class="chart-count">0</text>`,
    ...columns,
    "</svg></figure>",
  ].join("\n");
}
