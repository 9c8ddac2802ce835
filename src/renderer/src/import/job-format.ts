/**
 * Words and numbers for a job's progress. The summary never calls a job a success when rows
 * failed or were invalid — a pain point users of other import tools report: "imported successfully" printed when most
 * rows failed.
 */
import type { ImportProgressView, JobStateView } from '@shared/contract';
import { sharedQuotaText } from '@shared/quota-rules';

/** "8 s", "1 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

export function doneCount(p: ImportProgressView): number {
  return p.created + p.exists + p.invalid + p.failed;
}

/** 0–100; 0 until the rows are counted. */
export function percentDone(p: ImportProgressView): number {
  if (p.rows <= 0) return 0;
  return Math.min(100, Math.round((doneCount(p) / p.rows) * 1000) / 10);
}

/**
 * Time left at the average pace so far (the current rate swings with retries and pauses); null
 * when the job is not running or nothing finished yet.
 */
export function etaMs(p: ImportProgressView): number | null {
  if (p.state !== 'running' || p.rows <= 0) return null;
  const done = doneCount(p);
  if (done === 0 || p.elapsedMs <= 0) return null;
  if (p.remaining === 0) return 0;
  return (p.remaining / done) * p.elapsedMs;
}

/** "12 requests/s (cap 25/s; 2 jobs share 50/s)": the split shows why the cap is below the user's. */
export function formatRate(p: ImportProgressView): string {
  const now = `${p.ratePerSecond.toFixed(0)} requests/s`;
  const shared =
    p.sharedWith === undefined || p.quota === undefined ? null : sharedQuotaText(p.sharedWith, p.quota);
  const notes = [p.allowedRate > 0 ? `cap ${formatNumber(p.allowedRate)}/s` : null, shared].filter(
    (n) => n !== null,
  );
  return notes.length > 0 ? `${now} (${notes.join('; ')})` : now;
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}

const STATE_WORDS: Record<JobStateView, string> = {
  running: 'Running',
  paused: 'Paused',
  stopped: 'Stopped',
  cancelled: 'Cancelled',
  completed: 'Finished',
  interrupted: 'Interrupted',
};

export function stateWord(state: JobStateView): string {
  return STATE_WORDS[state];
}

export function isFinal(state: JobStateView): boolean {
  return state === 'completed' || state === 'cancelled';
}

export function isResumable(state: JobStateView): boolean {
  return state === 'paused' || state === 'stopped' || state === 'interrupted';
}

export type Tone = 'ok' | 'warn' | 'bad';

/**
 * "38 created, 2 failed — see the report". Counts of zero are left out, except "0 created" when
 * nothing was created (saying nothing would hide it).
 */
export function summarize(p: ImportProgressView): { text: string; tone: Tone } {
  const parts: string[] = [];
  parts.push(`${formatNumber(p.created)} created`);
  if (p.exists > 0) parts.push(`${formatNumber(p.exists)} already existed`);
  if (p.invalid > 0) parts.push(`${formatNumber(p.invalid)} invalid`);
  if (p.failed > 0) parts.push(`${formatNumber(p.failed)} failed`);
  if (p.remaining > 0) parts.push(`${formatNumber(p.remaining)} not sent`);
  const bad = p.failed + p.invalid;
  let text = parts.join(', ');
  if (bad > 0) text += ' — see the report';
  else if (p.state === 'completed' && p.exists === 0) text += ' — every row was created';
  const tone: Tone =
    bad > 0 ? 'bad' : p.remaining > 0 || p.exists > 0 || p.state !== 'completed' ? 'warn' : 'ok';
  return { text, tone };
}
