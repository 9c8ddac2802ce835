/**
 * A fake clock and timers for code that takes its time as arguments (the import engine's `now`,
 * `sleep` and `scheduler`). Time moves only when a timer is due: by default on its own, as soon as
 * the real event loop has nothing else to do (one timer per turn, so promises, file reads and the
 * database get their turn in between) — tests run at full speed, and what they measure in time
 * (rates, throttling windows) comes out exact.
 *
 * `background` timers (what an unref'd timer is for real: a lease renewal) fire in order as time
 * passes, but never move it themselves: a test whose code waits for nothing else stands still.
 */
import type { Scheduler } from '../../src/main/import/engine/timing';

export interface FakeTime {
  now(): number;
  sleep(ms: number): Promise<void>;
  scheduler: Scheduler;
  /** Timers that fire when time passes them, but do not make it pass. */
  background: Scheduler;
  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): Promise<void>;
  /** Timers waiting (background ones not counted). */
  pending(): number;
}

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
  background: boolean;
}

export function createFakeTime(options: { start?: number; auto?: boolean } = {}): FakeTime {
  let now = options.start ?? 1_700_000_000_000;
  const auto = options.auto ?? true;
  let seq = 0;
  const timers = new Map<number, Timer>();
  let ticking = false;

  const earliest = (includeBackground = true): Timer | undefined => {
    let first: Timer | undefined;
    for (const timer of timers.values())
      if (
        (includeBackground || !timer.background) &&
        (first === undefined || timer.at < first.at || (timer.at === first.at && timer.seq < first.seq))
      )
        first = timer;
    return first;
  };
  const foreground = (): number => [...timers.values()].filter((timer) => !timer.background).length;
  const fire = (timer: Timer): void => {
    timers.delete(timer.seq);
    now = Math.max(now, timer.at);
    timer.callback();
  };
  // setImmediate runs after the pending I/O callbacks of this turn: time jumps only when the
  // code under test is waiting for it.
  const tick = (): void => {
    ticking = false;
    // Only a foreground timer moves time; background ones due on the way fire first, in order.
    if (earliest(false) === undefined) return;
    const next = earliest();
    if (next === undefined) return;
    fire(next);
    schedule();
  };
  const schedule = (): void => {
    if (!auto || ticking || foreground() === 0) return;
    ticking = true;
    setImmediate(tick);
  };

  const timersOf = (background: boolean): Scheduler => ({
    setTimeout(callback, ms) {
      const timer = { at: now + Math.max(0, ms), seq: ++seq, callback, background };
      timers.set(timer.seq, timer);
      schedule();
      return timer.seq;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
  });
  const scheduler = timersOf(false);

  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        scheduler.setTimeout(resolve, ms);
      }),
    scheduler,
    background: timersOf(true),
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
    pending: foreground,
  };
}
