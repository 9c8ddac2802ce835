/** Virtual time for pacing tests: sleeps resolve only when the test runs the clock forward. */
import type { Clock } from '../../src/main/import/rate-limiter';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  time = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];
  now = (): number => this.time;
  sleep = (ms: number): Promise<void> => this.sleepUntil(this.time + Math.max(0, ms));
  protected sleepUntil(at: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at, resolve });
    });
  }
  /** Runs timers in time order until none is left or `until` is reached. */
  async run(until = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > until) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    if (Number.isFinite(until)) this.time = Math.max(this.time, until);
  }
}

/** A loaded machine: every timer fires late, by a pseudo-random 0–`maxLateMs` ms (fixed seed). */
export class LateClock extends FakeClock {
  private seed = 7;
  constructor(private readonly maxLateMs: number) {
    super();
  }
  private late(): number {
    // xorshift32: repeatable lateness, so a failure can be replayed.
    this.seed ^= this.seed << 13;
    this.seed ^= this.seed >>> 17;
    this.seed ^= this.seed << 5;
    return (((this.seed >>> 0) % 1000) / 1000) * this.maxLateMs;
  }
  override sleep = (ms: number): Promise<void> => super.sleepUntil(this.time + Math.max(0, ms) + this.late());
}
