import type { Reporter } from "./format.js";
import { formatJson } from "./json.js";
import { formatText } from "./text.js";

/**
 * Every output format by name. Formats other than text and JSON load on demand, so the
 * pre-commit path never pays for SARIF or HTML.
 */
export const REPORTERS: Readonly<Record<string, () => Promise<Reporter>>> = {
  text: async () => formatText,
  json: async () => formatJson,
  jsonl: async () => (await import("./jsonl.js")).formatJsonLines,
  sarif: async () => (await import("./sarif.js")).formatSarif,
  junit: async () => (await import("./junit.js")).formatJunit,
  csv: async () => (await import("./csv.js")).formatCsv,
  markdown: async () => (await import("./markdown.js")).formatMarkdown,
  github: async () => (await import("./github.js")).formatGithub,
  html: async () => (await import("./html.js")).formatHtml,
};

/** Formats only `keywarden report` writes (from a saved JSON report), not the scanning commands. */
export const REPORT_ONLY_FORMATS: readonly string[] = ["html"];

/** What --format accepts on the scanning commands. */
export const FORMAT_NAMES = Object.keys(REPORTERS).filter(
  (name) => !REPORT_ONLY_FORMATS.includes(name),
);

/** What `keywarden report --format` accepts. */
export const ALL_FORMAT_NAMES = Object.keys(REPORTERS);
