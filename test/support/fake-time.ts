/**
 * A fake clock and timers for code that takes its time as arguments (the import engine's `now`,
 * `sleep` and `scheduler`). Time moves only when a timer is due: by default on its own, as soon as
 * the real event loop has nothing else to do (one timer per turn, so promises, file reads and the
 * database get their turn in between) — tests run at full speed, and what they measure in time
 * (rates, throttling windows) comes out exact.
 */
import type { Scheduler } from '../../src/main/import/engine/timing';

export interface FakeTime {
  now(): number;
  sleep(ms: number): Promise<void>;
  scheduler: Scheduler;
  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): Promise<void>;
  /** Timers waiting. */
  pending(): number;
}

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

export function createFakeTime(options: { start?: number; auto?: boolean } = {}): FakeTime {
  let now = options.start ?? 1_700_000_000_000;
  const auto = options.auto ?? true;
  let seq = 0;
  const timers = new Map<number, Timer>();
  let ticking = false;

  const earliest = (): Timer | undefined => {
    let first: Timer | undefined;
    for (const timer of timers.values())
      if (first === undefined || timer.at < first.at || (timer.at === first.at && timer.seq < first.seq))
        first = timer;
    return first;
  };
  const fire = (timer: Timer): void => {
    timers.delete(timer.seq);
    now = Math.max(now, timer.at);
    timer.callback();
  };
  // setImmediate runs after the pending I/O callbacks of this turn: time jumps only when the
  // code under test is waiting for it.
  const tick = (): void => {
    ticking = false;
    const next = earliest();
    if (next === undefined) return;
    fire(next);
    schedule();
  };
  const schedule = (): void => {
    if (!auto || ticking || timers.size === 0) return;
    ticking = true;
    setImmediate(tick);
  };

  const scheduler: Scheduler = {
    setTimeout(callback, ms) {
      const timer = { at: now + Math.max(0, ms), seq: ++seq, callback };
      timers.set(timer.seq, timer);
      schedule();
      return timer.seq;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
  };

  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        scheduler.setTimeout(resolve, ms);
      }),
    scheduler,
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const next = earliest();
        if (next === undefined || next.at > until) break;
        fire(next);
        // Let what the timer woke run before the next one fires.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      now = until;
    },
    pending: () => timers.size,
  };
}
