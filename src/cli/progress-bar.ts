import type { HistoryProgress } from "../sources/history-blobs.js";
import type { CliOutput } from "./io.js";

/**
 * One self-rewriting line on a terminal's stderr for long history scans: blobs read out of
 * blobs found (for a range: commits read out of the range's), throughput and time left. While
 * the commit walk is still finding blobs the total grows, so it shows `+` and no estimate.
 */

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

export function progressLine(progress: HistoryProgress, elapsedMs: number, width = 24): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const rate = progress.bytes / 1024 / 1024 / seconds;
  const total = Math.max(progress.total, 1);
  const ratio = Math.min(progress.done / total, 1);
  const filled = Math.round(ratio * width);
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const counts = `${progress.done}/${progress.total}${progress.walkDone ? "" : "+"} ${progress.unit ?? "blobs"}`;
  const eta =
    progress.walkDone && progress.done > 0 && progress.done < progress.total
      ? ` · ETA ${formatDuration((seconds * (progress.total - progress.done)) / progress.done)}`
      : progress.walkDone
        ? ""
        : ` · walking commits (${progress.commits})`;
  return `${bar} ${counts} · ${rate.toFixed(1)} MB/s${eta}`;
}

export interface ProgressBar {
  update(progress: HistoryProgress): void;
  /** Clears the line, so the report starts on a clean one. */
  done(): void;
}

export function createProgressBar(
  stderr: CliOutput,
  enabled: boolean,
  now = Date.now,
): ProgressBar {
  if (!enabled) return { update() {}, done() {} };
  const started = now();
  let shown = false;
  return {
    update(progress) {
      shown = true;
      stderr.write(`\r\x1b[K${progressLine(progress, now() - started)}`);
    },
    done() {
      if (shown) stderr.write("\r\x1b[K");
      shown = false;
    },
  };
}
