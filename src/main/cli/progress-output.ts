/**
 * Import progress on stderr (stdout stays for the job id and the summary a script reads): on a
 * terminal one bar redrawn in place, otherwise (a CI log, a pipe) one plain line every couple of
 * seconds so the log shows the job moving without drowning in updates.
 */
import type { Writable } from 'node:stream';
import { sharedQuotaText } from '@shared/quota-rules';
import type { ImportProgress } from '../import/import-engine';

export const TTY_REDRAW_MS = 200;
export const LINE_INTERVAL_MS = 2000;
const BAR_WIDTH = 24;

export interface ProgressOutputOptions {
  stream: Writable & { isTTY?: boolean; columns?: number };
  /** Reads the job's current progress (engine.progress(jobId)). */
  poll: () => ImportProgress;
  /** Default: the stream's isTTY. */
  tty?: boolean;
  intervalMs?: number;
}

export interface ProgressOutput {
  /** Prints the current state once more (and ends the bar's line); stops the timer. */
  stop(): void;
}

function done(p: ImportProgress): number {
  return p.created + p.exists + p.invalid + p.failed;
}

function eta(p: ImportProgress): string {
  if (p.ratePerSecond <= 0 || p.remaining <= 0) return '';
  const s = Math.ceil(p.remaining / p.ratePerSecond);
  return s < 120 ? ` · ETA ${s}s` : ` · ETA ${Math.ceil(s / 60)}min`;
}

/** " · 2 jobs share 50/s" while other jobs send on the same account's sign-up quota. */
function shared(p: ImportProgress): string {
  const text =
    p.sharedWith === undefined || p.quota === undefined ? null : sharedQuotaText(p.sharedWith, p.quota);
  return text === null ? '' : ` · ${text}`;
}

function counts(p: ImportProgress): string {
  return `${p.created} created · ${p.exists} exist · ${p.invalid} invalid · ${p.failed} failed`;
}

export function progressBar(p: ImportProgress, columns = 100): string {
  if (p.rows === 0) return 'Counting rows…';
  const fraction = Math.min(1, done(p) / p.rows);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const text = `${bar} ${Math.floor(fraction * 100)}% ${done(p)}/${p.rows} · ${counts(p)} · ${p.ratePerSecond}/s${shared(p)}${eta(p)}`;
  // Wider than the terminal would wrap, and \r would then redraw only the last part.
  return text.length >= columns ? text.slice(0, Math.max(0, columns - 1)) : text;
}

export function progressLine(p: ImportProgress): string {
  if (p.rows === 0) return 'progress: counting rows…';
  return `progress: ${done(p)}/${p.rows} rows (${counts(p)}), ${p.ratePerSecond} req/s${shared(p)}, ${Math.round(p.elapsedMs / 1000)} s`;
}

export function startProgressOutput(options: ProgressOutputOptions): ProgressOutput {
  const { stream, poll } = options;
  const tty = options.tty ?? stream.isTTY === true;
  const interval = options.intervalMs ?? (tty ? TTY_REDRAW_MS : LINE_INTERVAL_MS);
  let lastLine = '';
  const draw = (): void => {
    let progress: ImportProgress;
    try {
      progress = poll();
    } catch {
      return; // the database closed under us (shutting down): nothing to draw
    }
    if (tty) {
      // \r back to the start, \x1b[K clears what a longer previous bar left behind.
      stream.write(`\r${progressBar(progress, stream.columns ?? 100)}\x1b[K`);
    } else {
      const line = progressLine(progress);
      // A stalled job (a paused limiter, backoff) does not repeat the same line every interval.
      if (line !== lastLine) stream.write(`${line}\n`);
      lastLine = line;
    }
  };
  draw();
  const timer = setInterval(draw, interval);
  timer.unref?.();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      draw();
      if (tty) stream.write('\n');
    },
  };
}
