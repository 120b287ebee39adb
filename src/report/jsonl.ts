import { type Reporter, sortFindings } from "./format.js";

/**
 * JSON lines: each finding one line, as the JSON report's `findings` hold it, and nothing when
 * nothing is found; for `jq -c`, log pipelines and tools that read trufflehog's `--json`. The
 * summary and skip notices stay on stderr.
 */
export const formatJsonLines: Reporter = ({ findings }) =>
  sortFindings(findings)
    .map((finding) => `${JSON.stringify(finding)}\n`)
    .join("");
