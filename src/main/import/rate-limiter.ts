/**
 * Paces a bulk import's SignUp calls: request starts are spaced evenly, 1000/rate ms apart, so no
 * 1-second window — fixed or sliding — ever holds more starts than the rate. The rate adapts
 * (AIMD): it is cut multiplicatively when Cognito throttles or fails transiently and raised back
 * additively while calls succeed, never above the user's cap. SignUp shares the account's
 * UserCreation quota (50/s by default) with production traffic, so the cap is the user's choice:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
 *
 * Why hand-written (about 40 lines) rather than a library: p-queue (well kept; `strict` gives a
 * sliding window) cannot change `interval`/`intervalCap` after construction, so an adaptive rate
 * would mean swapping queues and losing the last start time (a burst at each swap); bottleneck
 * expresses the rule (minTime + updateSettings) but has had no release since 2019 and reads the
 * global clock, so neither the engine's injected clock nor a fake one in tests can drive it.
 * Concurrency is not limited here: the engine runs exactly `concurrency` workers.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiterOptions {
  /** The user's cap in requests per second; the rate never goes above it. */
  cap: number;
  /** Lowest rate a slow-down can reach (default: 1/s, or the cap when that is lower). */
  floor?: number;
  /** Multiplicative decrease when Cognito throttles (default 0.5). */
  decreaseFactor?: number;
  /**
   * Gentler decrease for other transient failures (5xx, resets, timeouts; default 0.8): they say
   * the service is struggling, not that we are over a limit, so they slow us down less.
   */
  failureDecreaseFactor?: number;
  /** Requests/s added back per calm `increaseIntervalMs` (default: a tenth of the cap, at least 1). */
  increaseStep?: number;
  /** How long the rate must stay calm before each additive increase (default 1000 ms). */
  increaseIntervalMs?: number;
  clock?: Clock;
}

export interface RateLimiter {
  /**
   * Resolves when the caller may start one request, with the start time (clock ms). Callers are
   * served in order; each start is at least 1000/rate ms after the previous one.
   */
  acquire(): Promise<number>;
  /**
   * A request that started at `startedAt` was throttled (cut by `decreaseFactor`) or failed
   * transiently (cut by `failureDecreaseFactor`). Signals
   * from requests that started before the last cut are ignored — they were sent at the old rate
   * and were already answered for — so one burst of errors halves the rate once, not N times.
   */
  slowDown(startedAt: number, cause?: 'throttled' | 'failed'): void;
  /** A request succeeded: after a calm interval, raise the rate one step (never above the cap). */
  succeeded(): void;
  /** The current allowed rate in requests per second. */
  rate(): number;
  readonly cap: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const cap = options.cap;
  if (!(cap > 0) || !Number.isFinite(cap))
    throw new RangeError(`The rate cap must be a positive number (got ${cap}).`);
  const clock = options.clock ?? realClock;
  const floor = Math.min(options.floor ?? 1, cap);
  const factor = options.decreaseFactor ?? 0.5;
  const failureFactor = options.failureDecreaseFactor ?? 0.8;
  const step = options.increaseStep ?? Math.max(1, cap / 10);
  const calmMs = options.increaseIntervalMs ?? 1000;

  let rate = cap;
  let lastStart = Number.NEGATIVE_INFINITY;
  let lastDecreaseAt = Number.NEGATIVE_INFINITY;
  let lastChangeAt = clock.now();
  // One waiter at a time: each start is measured after the previous one, so a late timer cannot
  // let two starts bunch up (the gap is checked against the clock, not against planned slots).
  let turn: Promise<unknown> = Promise.resolve();

  const acquire = (): Promise<number> => {
    const mine = turn.then(async () => {
      for (;;) {
        // Re-read the rate on every pass: a slow-down while waiting applies at once. Whole
        // milliseconds, rounded up, so float error never squeezes an extra start into a second.
        const wait = lastStart + Math.ceil(1000 / rate) - clock.now();
        if (wait <= 0) break;
        await clock.sleep(wait);
      }
      lastStart = clock.now();
      return lastStart;
    });
    turn = mine.catch(() => undefined);
    return mine;
  };

  return {
    cap,
    acquire,
    rate: () => rate,
    slowDown(startedAt, cause = 'throttled') {
      if (startedAt < lastDecreaseAt) return;
      const now = clock.now();
      rate = Math.max(floor, rate * (cause === 'throttled' ? factor : failureFactor));
      lastDecreaseAt = now;
      lastChangeAt = now;
    },
    succeeded() {
      if (rate >= cap) return;
      const now = clock.now();
      if (now - lastChangeAt < calmMs) return;
      rate = Math.min(cap, rate + step);
      lastChangeAt = now;
    },
  };
}

/** The most request starts inside any window of `windowMs` (half-open), for tests and reports. */
export function maxInAnyWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] ?? 0) - (sorted[first] ?? 0) >= windowMs) first += 1;
    best = Math.max(best, last - first + 1);
  }
  return best;
}
