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
};

export const FORMAT_NAMES = Object.keys(REPORTERS);
