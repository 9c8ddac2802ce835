/**
 * The time the engine runs on, injected so tests drive it (a fake clock moves `now`, `sleep` and
 * the timers together) and production uses the real ones.
 */
import type { Clock } from '../rate-limiter';

export type { Clock } from '../rate-limiter';

/** Timers as setTimeout/clearTimeout give them: what group commits and progress throttling wait on. */
export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemScheduler: Scheduler = {
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    // A pending commit window or progress update never keeps the process alive on its own.
    timer.unref?.();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/**
 * Keeps the process alive until the returned release is called. A run holds it from launch to end:
 * the scheduler's timers are unref'd, so a run that waits only on them (its share of a quota still
 * held by the job before it, a renew at a cap of 0) would otherwise let a CLI exit mid-job.
 */
export type KeepAlive = () => () => void;

export const systemKeepAlive: KeepAlive = () => {
  const timer = setInterval(() => undefined, 2 ** 31 - 1);
  return () => clearInterval(timer);
};

/** The engine's clock and timers, one set: `sleep` must let `now` advance. */
export interface EngineTime {
  clock: Clock;
  scheduler: Scheduler;
  random: () => number;
  keepAlive: KeepAlive;
}
