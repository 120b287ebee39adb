import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { escapeCommandData, escapeCommandProperty, escapeMaskValue } from "../report/github.js";

/**
 * The runner's side channels, written as the Actions toolkit writes them: workflow commands on
 * standard output (`::add-mask::`, `::error::`), and the files named by GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY. Small and fully specified, so no toolkit dependency.
 */

export interface CommandOutput {
  write(text: string): void;
}

/** Shorter values would mask ordinary words all over the log; real keys are far longer. */
const MIN_MASK_LENGTH = 4;

/**
 * The lines to register with `::add-mask::` for one secret. The runner masks line by line, so a
 * multi-line secret (a PEM private key) is masked through each of its lines; PEM armour lines
 * are no secret and would only blank out harmless log lines.
 */
export function maskValues(secret: string): string[] {
  const lines = secret.split(/\r?\n/).map((line) => line.trim());
  const values =
    lines.length === 1 ? lines : lines.filter((line) => !/^-----(BEGIN|END) /.test(line));
  return values.filter((value) => value.length >= MIN_MASK_LENGTH);
}

/** Registers each secret with the runner so no later log line (ours or another step's) shows it. */
export function addMasks(stdout: CommandOutput, secrets: Iterable<string>): void {
  const seen = new Set<string>();
  for (const secret of secrets) {
    for (const value of maskValues(secret)) {
      if (seen.has(value)) continue;
      seen.add(value);
      stdout.write(`::add-mask::${escapeMaskValue(value)}\n`);
    }
  }
}

export type AnnotationLevel = "error" | "warning" | "notice";

export interface AnnotationProperties {
  readonly title?: string;
  readonly file?: string;
  readonly line?: number;
}

export function annotation(
  level: AnnotationLevel,
  message: string,
  properties: AnnotationProperties = {},
): string {
  const parts = [
    ...(properties.file !== undefined ? [`file=${escapeCommandProperty(properties.file)}`] : []),
    ...(properties.line !== undefined ? [`line=${properties.line}`] : []),
    ...(properties.title !== undefined ? [`title=${escapeCommandProperty(properties.title)}`] : []),
  ];
  const head = parts.length > 0 ? `${level} ${parts.join(",")}` : level;
  return `::${head}::${escapeCommandData(message)}\n`;
}

/** Starts and ends a collapsible group in the log. */
export function group(title: string): { start: string; end: string } {
  return { start: `::group::${escapeCommandData(title)}\n`, end: "::endgroup::\n" };
}

/**
 * One step output in the GITHUB_OUTPUT file format. A value with a line break goes in a heredoc
 * whose delimiter is random, so a value can never close it early.
 */
export function outputEntry(name: string, value: string): string {
  if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
  const delimiter = `ghadelimiter_${randomBytes(16).toString("hex")}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Appends to a runner file (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY); nothing when the runner named none. */
export function appendRunnerFile(file: string | undefined, text: string): boolean {
  if (!file) return false;
  appendFileSync(file, text, "utf8");
  return true;
}
