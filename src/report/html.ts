import { createHash } from "node:crypto";
import { isLive } from "../finding-status.js";
import type { ReportFinding, Severity } from "../types.js";
import { plural, type Reporter, scannedAmount, sortFindings } from "./format.js";
import {
  type Bar,
  bucketDates,
  escapeHtml,
  horizontalBarChart,
  timelineChart,
} from "./html-charts.js";

/**
 * A self-contained HTML page for a security team: summary cards, findings by provider and by
 * verification status, a timeline of when leaks were introduced (history scans), and the
 * findings table with filters. Everything is inline; a Content-Security-Policy that allows only
 * this page's own script and style (by hash) guarantees it makes no network request.
 */

const NOT_VERIFIED = "not verified";

const STATUS_COLOR: Readonly<Record<string, string>> = {
  live: "#d73a49",
  "live-restricted": "#e36209",
  "rate-limited": "#dbab09",
  invalid: "#2da44e",
  unknown: "#6a737d",
  unsupported: "#959da5",
  [NOT_VERIFIED]: "#8c959f",
};

const STATUS_ORDER = [
  "live",
  "live-restricted",
  "rate-limited",
  "unknown",
  "invalid",
  "unsupported",
  NOT_VERIFIED,
];

const PROVIDER_PALETTE = [
  "#0969da",
  "#8250df",
  "#bf3989",
  "#1a7f37",
  "#bc4c00",
  "#0550ae",
  "#6639ba",
  "#953800",
];

const SEVERITY_RANK: Record<Severity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 10px; }
.meta { color: var(--muted); margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 20px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 140px; }
.card b { display: block; font-size: 24px; }
.card span { color: var(--muted); }
.card.alert b { color: #d73a49; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow-x: auto; }
.chart-wide { flex-basis: 100%; }
.chart figcaption { font-weight: 600; margin-bottom: 6px; }
.chart-label, .chart-count { font-size: 12px; fill: var(--fg); }
.axis { stroke: var(--line); }
.filter-link { cursor: pointer; }
.filter-link:hover rect, .filter-link:focus rect { opacity: 0.75; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-bottom: 10px; }
.filters label { color: var(--muted); }
select, input, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); position: sticky; top: 0; }
td code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 11px; }
.sev-critical, .sev-high { color: #d73a49; }
.sev-medium { color: #bc4c00; }
.sev-low, .sev-info { color: var(--muted); }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px; white-space: nowrap; }
${Object.entries(STATUS_COLOR)
  .map(([status, color]) => `.status-${status.replace(/\s+/g, "-")} { background: ${color}; }`)
  .join("\n")}
.empty { padding: 24px; text-align: center; color: var(--muted); }
.fix { color: var(--muted); font-size: 12px; }
`;

const SCRIPT = `
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#findings tbody tr"));
  var provider = document.getElementById("filter-provider");
  var status = document.getElementById("filter-status");
  var text = document.getElementById("filter-text");
  var shown = document.getElementById("shown-count");
  var none = document.getElementById("no-match");
  function apply() {
    var p = provider.value, s = status.value, q = text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!p || row.getAttribute("data-provider") === p) &&
        (!s || row.getAttribute("data-status") === s) &&
        (!q || row.textContent.toLowerCase().indexOf(q) >= 0);
      row.hidden = !visible;
      if (visible) count++;
    });
    shown.textContent = String(count);
    none.hidden = count !== 0 || rows.length === 0;
  }
  function choose(name, value) {
    var select = name === "provider" ? provider : status;
    select.value = select.value === value ? "" : value;
    apply();
    document.getElementById("findings").scrollIntoView({ behavior: "smooth", block: "start" });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".filter-link"), function (link) {
    var name = link.getAttribute("data-filter-name"), value = link.getAttribute("data-filter-value");
    link.addEventListener("click", function () { choose(name, value); });
    link.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(name, value); }
    });
  });
  provider.addEventListener("change", apply);
  status.addEventListener("change", apply);
  text.addEventListener("input", apply);
  document.getElementById("filter-reset").addEventListener("click", function () {
    provider.value = ""; status.value = ""; text.value = ""; apply();
  });
  apply();
})();
`;

function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

function statusOf(finding: ReportFinding): string {
  return finding.verification?.status ?? NOT_VERIFIED;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function card(value: number, label: string, alert = false): string {
  return `<div class="card${alert ? " alert" : ""}"><b>${value}</b><span>${escapeHtml(label)}</span></div>`;
}

function row(finding: ReportFinding): string {
  const status = statusOf(finding);
  const introduced = finding.commit
    ? `<code>${escapeHtml(finding.commit.slice(0, 12))}</code><br>${escapeHtml((finding.date ?? "").slice(0, 10))} ${escapeHtml(finding.author ?? "")}`
    : "";
  const seen =
    finding.occurrences && finding.occurrences.length > 1
      ? `<br>seen ${finding.occurrences.length} times`
      : "";
  return [
    `<tr data-provider="${escapeHtml(finding.provider)}" data-status="${escapeHtml(status)}" data-severity="${finding.severity}">`,
    `<td class="sev sev-${finding.severity}">${finding.severity}</td>`,
    `<td>${escapeHtml(finding.provider)}</td>`,
    `<td>${escapeHtml(finding.title)}<br><span class="fix">${escapeHtml(finding.ruleId)}</span></td>`,
    `<td><code>${escapeHtml(`${finding.path}:${finding.line}:${finding.column}`)}</code>${finding.lineText ? `<br><code class="fix">${escapeHtml(finding.lineText.trim())}</code>` : ""}</td>`,
    `<td><code>${escapeHtml(finding.secret)}</code>${finding.encoding ? ` <span class="fix">(${finding.encoding})</span>` : ""}</td>`,
    `<td><span class="status status-${escapeHtml(status.replace(/\s+/g, "-"))}">${escapeHtml(status)}</span>${finding.revocation ? `<br><span class="fix">${escapeHtml(finding.revocation.status)}</span>` : ""}</td>`,
    `<td>${introduced}${seen}</td>`,
    `<td><span class="fix">${escapeHtml(finding.remediation)}</span><br><code class="fix">${escapeHtml(finding.fingerprint)}</code></td>`,
    "</tr>",
  ].join("");
}

function options(values: readonly string[]): string {
  return values
    .map((value) => `<option value="${escapeHtml(value)}">${escapeHtml(value)}</option>`)
    .join("");
}

export const formatHtml: Reporter = ({ findings, summary, tool }) => {
  // Worst first, then by place: what a security team reads first.
  const sorted = sortFindings(findings).sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
  );
  const byProvider = [...countBy(sorted, (f) => f.provider)].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
  );
  const byStatus = [...countBy(sorted, statusOf)].sort(
    (a, b) => STATUS_ORDER.indexOf(a[0]) - STATUS_ORDER.indexOf(b[0]),
  );
  const providerColor = new Map(
    byProvider.map(([provider], i) => [provider, PROVIDER_PALETTE[i % PROVIDER_PALETTE.length]!]),
  );
  const providerBars: Bar[] = byProvider.map(([provider, count]) => ({
    label: provider,
    count,
    color: providerColor.get(provider)!,
    filter: { name: "provider", value: provider },
  }));
  const statusBars: Bar[] = byStatus.map(([status, count]) => ({
    label: status,
    count,
    color: STATUS_COLOR[status] ?? "#8c959f",
    filter: { name: "status", value: status },
  }));
  const dates = sorted
    .map((f) => f.date)
    .filter((date): date is string => typeof date === "string");
  const timeline =
    dates.length > 0
      ? timelineChart("Leaks introduced over time (commit date)", bucketDates(dates))
      : "";

  const unique = new Set(sorted.map((f) => f.fingerprint)).size;
  const files = new Set(sorted.map((f) => f.path)).size;
  const live = sorted.filter(isLive).length;
  const headline =
    sorted.length === 0
      ? "No secrets found"
      : `${plural(sorted.length, "finding")} in ${plural(files, "file")}`;
  const scanned = `${tool.name} ${tool.version} · ${summary.source} scan · ${scannedAmount(summary)}${summary.skipped.length > 0 ? ` · ${summary.skipped.length} skipped` : ""}`;

  const body = [
    `<header><h1>${escapeHtml(tool.name)} report: ${escapeHtml(headline)}</h1><p class="meta">${escapeHtml(scanned)}</p></header>`,
    `<section class="cards">${card(sorted.length, "findings", sorted.length > 0)}${card(unique, "unique secrets")}${card(files, "files")}${card(live, "verified live", live > 0)}</section>`,
    sorted.length === 0
      ? `<p class="empty" id="empty-report">Nothing to report.</p>`
      : `<section class="charts" id="charts">${horizontalBarChart("Findings by provider", providerBars)}${horizontalBarChart("Findings by verification status", statusBars)}${timeline}</section>`,
    `<h2>Findings</h2>`,
    `<div class="filters">`,
    `<label>Provider <select id="filter-provider"><option value="">all</option>${options(byProvider.map(([p]) => p))}</select></label>`,
    `<label>Status <select id="filter-status"><option value="">all</option>${options(byStatus.map(([s]) => s))}</select></label>`,
    `<label>Search <input id="filter-text" type="search" placeholder="path, rule, commit…"></label>`,
    `<button id="filter-reset" type="button">Reset</button>`,
    `<span class="meta">showing <b id="shown-count">${sorted.length}</b> of ${sorted.length}</span>`,
    `</div>`,
    `<table id="findings"><thead><tr><th>Severity</th><th>Provider</th><th>Kind</th><th>Location</th><th>Secret (redacted)</th><th>Status</th><th>Introduced</th><th>Fix / fingerprint</th></tr></thead>`,
    `<tbody>${sorted.map(row).join("\n")}</tbody></table>`,
    `<p class="empty" id="no-match" hidden>No finding matches these filters.</p>`,
  ].join("\n");

  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(STYLE)}`,
    `script-src ${cspHash(SCRIPT)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${tool.name} report: ${headline}`)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    body,
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
};
