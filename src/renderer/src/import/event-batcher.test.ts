import { describe, expect, it } from 'vitest';
import type { ImportProgressView, LogEntry } from '@shared/contract';
import { createEventBatcher, type Batch, type Scheduler } from './event-batcher';

/** A scheduler whose "frames" run when the test says so. */
function manualFrames(): Scheduler & { frame(): void; pending(): number } {
  let next = 1;
  const queued = new Map<number, () => void>();
  return {
    request(run) {
      queued.set(next, run);
      return next++;
    },
    cancel(handle) {
      queued.delete(handle);
    },
    frame() {
      const runs = [...queued.values()];
      queued.clear();
      for (const run of runs) run();
    },
    pending: () => queued.size,
  };
}

const progress = (created: number): ImportProgressView => ({
  rows: 1000,
  valid: 1000,
  created,
  exists: 0,
  invalid: 0,
  failed: 0,
  remaining: 1000 - created,
  ratePerSecond: 200,
  allowedRate: 0,
  elapsedMs: 1,
  state: 'running',
});

const entry = (id: number): LogEntry => ({
  id,
  time: '2026-01-01T00:00:00.000Z',
  source: 'import',
  region: 'us-east-1',
  clientId: 'c',
  username: `user${id}`,
  outcome: 'created',
});

describe('createEventBatcher', () => {
  it('applies a burst of events once per frame, with the newest progress and the last rows only', () => {
    const frames = manualFrames();
    const batches: Batch[] = [];
    const batcher = createEventBatcher({ apply: (b) => batches.push(b), maxRows: 50, scheduler: frames });
    batcher.follow('job-1');
    for (let i = 1; i <= 200; i++) {
      batcher.onRow({ jobId: 'job-1', entry: entry(i) });
      if (i % 20 === 0) batcher.onProgress({ jobId: 'job-1', progress: progress(i) });
    }
    expect(batches).toHaveLength(0);
    expect(frames.pending()).toBe(1);
    frames.frame();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.progress?.created).toBe(200);
    expect(batches[0]?.rowCount).toBe(200);
    expect(batches[0]?.rows.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => 151 + i));
    frames.frame();
    expect(batches).toHaveLength(1);
  });

  it('ignores events for other job ids', () => {
    const frames = manualFrames();
    const batches: Batch[] = [];
    const batcher = createEventBatcher({ apply: (b) => batches.push(b), maxRows: 10, scheduler: frames });
    batcher.follow('job-2');
    batcher.onProgress({ jobId: 'job-1', progress: progress(5) });
    batcher.onRow({ jobId: 'job-1', entry: entry(1) });
    expect(frames.pending()).toBe(0);
    frames.frame();
    expect(batches).toEqual([]);
  });

  it('holds events while a start is in flight and replays only the new job’s', () => {
    const frames = manualFrames();
    const batches: Batch[] = [];
    const batcher = createEventBatcher({ apply: (b) => batches.push(b), maxRows: 10, scheduler: frames });
    batcher.follow('old');
    batcher.expectNewJob();
    batcher.onRow({ jobId: 'new', entry: entry(1) });
    batcher.onRow({ jobId: 'old', entry: entry(2) });
    batcher.onProgress({ jobId: 'new', progress: progress(1) });
    expect(frames.pending()).toBe(0);
    batcher.follow('new');
    frames.frame();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.rows.map((r) => r.id)).toEqual([1]);
    expect(batches[0]?.progress?.created).toBe(1);
  });

  it('drops a pending frame when it switches jobs', () => {
    const frames = manualFrames();
    const batches: Batch[] = [];
    const batcher = createEventBatcher({ apply: (b) => batches.push(b), maxRows: 10, scheduler: frames });
    batcher.follow('a');
    batcher.onRow({ jobId: 'a', entry: entry(1) });
    batcher.follow('b');
    frames.frame();
    expect(batches).toEqual([]);
  });
});
