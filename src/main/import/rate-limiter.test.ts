import { describe, expect, it } from 'vitest';
import { FakeClock, LateClock } from '../../../test/support/fake-clock';
import { createRateLimiter, maxInAnyWindow, realClock } from './rate-limiter';

/** `workers` loops, each: acquire, "send" for `durationMs`, report via `after`. */
async function drive(
  clock: FakeClock,
  limiter: ReturnType<typeof createRateLimiter>,
  options: {
    requests: number;
    workers: number;
    durationMs: number;
    after?: (start: number, n: number) => void;
  },
): Promise<number[]> {
  const starts: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.requests) {
      const n = next;
      next += 1;
      const start = await limiter.acquire();
      starts.push(start);
      await clock.sleep(options.durationMs);
      options.after?.(start, n);
    }
  };
  const all = Promise.all(Array.from({ length: options.workers }, worker));
  await clock.run();
  await all;
  return starts;
}

describe('createRateLimiter', () => {
  it('spaces starts evenly: never more than the cap in any 1-second window', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 10, clock });
    const starts = await drive(clock, limiter, { requests: 100, workers: 25, durationMs: 30 });
    expect(starts).toHaveLength(100);
    expect(maxInAnyWindow(starts)).toBe(10);
    const gaps = starts.slice(1).map((start, i) => start - (starts[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    // Not slower than needed either: 100 starts at 10/s take 9.9 s.
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBe(9900);
  });

  it('keeps a rate that does not divide 1000 under the cap (7/s)', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 7, clock });
    const starts = await drive(clock, limiter, { requests: 50, workers: 10, durationMs: 500 });
    expect(maxInAnyWindow(starts)).toBe(7);
  });

  it('halves the rate on a slow-down signal, once per burst, and stops at the floor', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 40, clock });
    const both = Promise.all([limiter.acquire(), limiter.acquire()]);
    await clock.run();
    const [first, second] = await both;
    expect(second - first).toBe(25);
    limiter.slowDown(second);
    expect(limiter.rate()).toBe(20);
    // Requests that started before the cut were sent at the old rate: their errors do not cut again.
    limiter.slowDown(first);
    limiter.slowDown(second - 1);
    expect(limiter.rate()).toBe(20);
    clock.time += 10;
    for (let i = 0; i < 10; i += 1) {
      limiter.slowDown(clock.now());
      clock.time += 1;
    }
    expect(limiter.rate()).toBe(1);
  });

  it('raises the rate back additively while calls succeed, never above the cap', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 20, clock, increaseStep: 2, increaseIntervalMs: 1000 });
    limiter.slowDown(clock.now());
    expect(limiter.rate()).toBe(10);
    const rates: Array<{ at: number; rate: number }> = [];
    const starts = await drive(clock, limiter, {
      requests: 200,
      workers: 20,
      durationMs: 50,
      after: () => {
        limiter.succeeded();
        rates.push({ at: clock.now(), rate: limiter.rate() });
      },
    });
    // One step per calm second: 10 → 20 takes five steps, so about five seconds.
    const reachedCap = rates.find((entry) => entry.rate === 20);
    expect(reachedCap?.at).toBeGreaterThanOrEqual(5000);
    expect(reachedCap?.at).toBeLessThan(6000);
    expect(Math.max(...rates.map((entry) => entry.rate))).toBe(20);
    // Before the climb the limiter really did send at the lowered rate.
    expect(maxInAnyWindow(starts.filter((start) => start < 1000))).toBeLessThanOrEqual(10);
    expect(maxInAnyWindow(starts)).toBeLessThanOrEqual(20);
  });

  it('applies a slow-down to callers already waiting', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 10, clock });
    const starts: number[] = [];
    const waiting = Promise.all(
      Array.from({ length: 4 }, async () => {
        starts.push(await limiter.acquire());
      }),
    );
    await clock.run(50);
    expect(starts).toEqual([0]);
    limiter.slowDown(0);
    await clock.run();
    await waiting;
    expect(starts).toEqual([0, 200, 400, 600]);
  });

  it('measured on the real clock: at most the cap in any window, close to the cap overall', async () => {
    const limiter = createRateLimiter({ cap: 25, clock: realClock });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (starts.length < 50) {
          starts.push(await limiter.acquire());
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }),
    );
    expect(maxInAnyWindow(starts)).toBeLessThanOrEqual(25);
    const measured = ((starts.length - 1) / ((starts.at(-1) ?? 0) - (starts[0] ?? 0))) * 1000;
    expect(measured).toBeGreaterThan(22);
    expect(measured).toBeLessThanOrEqual(25);
  });

  it('keeps to a planned timeline when every timer fires late: close to the cap, never above it', async () => {
    const clock = new LateClock(15);
    const limiter = createRateLimiter({ cap: 50, clock });
    const starts = await drive(clock, limiter, { requests: 500, workers: 16, durationMs: 120 });
    // The hard guard: however late the timers (and the catching up after them), ≤ 50 per second.
    expect(maxInAnyWindow(starts)).toBe(50);
    // Lateness does not accumulate: spacing after the previous ACTUAL start would give ~1000/(20+7.5)
    // ≈ 36/s here; the timeline keeps the rate at the cap.
    const rate = ((starts.length - 1) / ((starts.at(-1) ?? 0) - (starts[0] ?? 0))) * 1000;
    expect(rate).toBeGreaterThan(48);
    expect(rate).toBeLessThanOrEqual(50);
  });

  it('never lets a catch-up after a stall put more than the cap into any window', async () => {
    // Timers up to 3 intervals late: the queued callers find their slots passed and start back to
    // back; only the guard (the last `cap` starts) holds them to the cap.
    const clock = new LateClock(60);
    const limiter = createRateLimiter({ cap: 20, clock });
    const starts = await drive(clock, limiter, { requests: 300, workers: 30, durationMs: 10 });
    expect(maxInAnyWindow(starts)).toBeLessThanOrEqual(20);
    expect(maxInAnyWindow(starts)).toBe(20);
    // …and the guard also holds each start until the 20th before it is a full second old.
    const sorted = [...starts].sort((a, b) => a - b);
    for (let i = 20; i < sorted.length; i += 1)
      expect((sorted[i] ?? 0) - (sorted[i - 20] ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('with a margin, plans under the rate and guards a longer window (headroom for arrival jitter)', async () => {
    const clock = new LateClock(10);
    const limiter = createRateLimiter({ cap: 50, clock, margin: 0.98 });
    const starts = await drive(clock, limiter, { requests: 400, workers: 16, durationMs: 100 });
    // 50 starts never fit in 1000/0.98 ≈ 1020 ms, so up to 20 ms of jitter cannot make 51 a second.
    expect(maxInAnyWindow(starts, 1000 / 0.98)).toBeLessThanOrEqual(50);
    expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(50);
    const rate = ((starts.length - 1) / ((starts.at(-1) ?? 0) - (starts[0] ?? 0))) * 1000;
    expect(rate).toBeGreaterThan(47.5);
    expect(rate).toBeLessThanOrEqual(49);
  });

  it('a caller arriving late (no free worker) takes the next slot from now: lost time is not made up in a burst', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 10, clock });
    const first = limiter.acquire();
    await clock.run();
    expect(await first).toBe(0);
    clock.time = 750;
    const later = Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    await clock.run();
    expect(await later).toEqual([750, 850, 950]);
  });

  it('rejects a cap that is not a positive number', () => {
    expect(() => createRateLimiter({ cap: 0 })).toThrow(RangeError);
    expect(() => createRateLimiter({ cap: Number.NaN })).toThrow(RangeError);
    expect(() => createRateLimiter({ cap: 5, margin: 1.5 })).toThrow(RangeError);
  });
});

/** For each start, how many starts fall in the window (start − windowMs, start]. */
function trailingCounts(starts: readonly number[], windowMs = 1000): Array<{ at: number; count: number }> {
  const sorted = [...starts].sort((a, b) => a - b);
  return sorted.map((at) => ({ at, count: sorted.filter((s) => s > at - windowMs && s <= at).length }));
}

describe('setCap: the cap changes while the job runs', () => {
  it('a lower cap applies to the next start, counting the starts already in the window', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 40, clock });
    const done = drive(clock, limiter, { requests: 120, workers: 8, durationMs: 30 });
    await clock.run(1000);
    limiter.setCap(25);
    expect(limiter.cap).toBe(25);
    expect(limiter.rate()).toBe(25);
    await clock.run();
    const starts = await done;
    const after = trailingCounts(starts).filter((entry) => entry.at > 1000);
    expect(after.length).toBeGreaterThan(0);
    // Every start after the cut sees at most 25 in its last second, the window's old starts included.
    expect(Math.max(...after.map((entry) => entry.count))).toBeLessThanOrEqual(25);
    // The starts of the last second still count: the first start after the cut (starts so far at
    // 0, 25 … 1000 ms) waits for the 25th most recent, at 400 ms, to be a second old.
    expect(after[0]?.at).toBe(1400);
  });

  it('a rate at the cap follows a raise; a rate cut by a slow-down climbs on its own', () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 40, clock, increaseStep: 4 });
    limiter.setCap(10);
    limiter.setCap(30);
    expect(limiter.rate()).toBe(30);
    limiter.slowDown(clock.now());
    expect(limiter.rate()).toBe(15);
    limiter.setCap(40);
    expect(limiter.rate()).toBe(15);
    clock.time += 1000;
    limiter.succeeded();
    expect(limiter.rate()).toBe(19);
    limiter.setCap(12);
    expect(limiter.rate()).toBe(12);
  });

  it('a cap of 0 holds every start until the cap is raised', async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ cap: 10, clock });
    limiter.setCap(0);
    const starts: number[] = [];
    const waiting = Promise.all([0, 1].map(async () => starts.push(await limiter.acquire())));
    await clock.run(5000);
    expect(starts).toEqual([]);
    limiter.slowDown(clock.now());
    limiter.succeeded();
    expect(limiter.rate()).toBe(0);
    limiter.setCap(5);
    await clock.run();
    await waiting;
    expect(starts).toEqual([5000, 5200]);
  });

  it('refuses a cap below 0 or above the cap it was created with', () => {
    const limiter = createRateLimiter({ cap: 10 });
    expect(() => limiter.setCap(11)).toThrow(RangeError);
    expect(() => limiter.setCap(-1)).toThrow(RangeError);
    expect(() => limiter.setCap(Number.NaN)).toThrow(RangeError);
    expect(limiter.cap).toBe(10);
  });
});

describe('maxInAnyWindow', () => {
  it('counts a sliding, half-open window', () => {
    expect(maxInAnyWindow([0, 999, 1000, 1001, 1999])).toBe(3);
    expect(maxInAnyWindow([0, 500, 999, 1000])).toBe(3);
    expect(maxInAnyWindow([])).toBe(0);
  });
});
