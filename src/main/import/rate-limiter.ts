/**
 * Paces a bulk import's SignUp calls. Two rules, both re-read on every pass so a slow-down applies
 * at once:
 * 1. Starts follow a planned timeline, one slot every 1000/(rate × margin) ms: the next slot is
 *    max(previous slot + interval, the moment the caller asked). A timer that fires late, or a
 *    moment with no free worker, costs that one start a little time but does not push every later
 *    slot back with it (spacing each start after the previous ACTUAL one lost ~15 % of the cap on a
 *    loaded machine).
 * 2. A hard guard: never more than floor(rate) starts in any window of 1000/margin ms (a ring of
 *    the last starts; a start waits until the one floor(rate) back is a window old). Catching up
 *    on the timeline can therefore never bunch starts above the rate, whatever the timers do.
 * `margin` (< 1 in the engine) is headroom for network jitter: the endpoint counts arrivals, not
 * our starts, and one request a few ms slower than the next must not make 51 arrivals in a second
 * at a cap of 50 (Cognito would throttle, and the adaptive rate would halve).
 *
 * The rate adapts (AIMD): it is cut multiplicatively when Cognito throttles or fails transiently
 * and raised back additively while calls succeed, never above the user's cap. SignUp shares the
 * account's UserCreation quota (50/s by default) with production traffic, so the cap is the
 * user's choice: https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
 *
 * Why hand-written rather than a library: p-queue (well kept; `strict` gives a sliding window)
 * cannot change `interval`/`intervalCap` after construction, so an adaptive rate would mean
 * swapping queues and losing the recent start times (a burst at each swap); bottleneck expresses
 * the rule (minTime + updateSettings) but has had no release since 2019 and reads the global
 * clock, so neither the engine's injected clock nor a fake one in tests can drive it.
 * Concurrency is not limited here: the engine runs exactly `concurrency` workers, or gates its
 * workers by the observed latency (engine/concurrency-controller.ts).
 *
 * The cap can change while the job runs (setCap): jobs on one account share its quota through a
 * budget (src/main/quota) that moves each job's share as jobs come and go. A lower cap applies to
 * the very next start, and the guard's ring keeps the recent starts, so lowering never opens a
 * burst: the starts of the last window still count against the new, lower number.
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
  /**
   * Plan starts at rate × margin and count the guard's window as 1000 / margin ms (default 1: no
   * headroom). The engine uses ENGINE_RATE_MARGIN for network jitter.
   */
  margin?: number;
  clock?: Clock;
}

export interface RateLimiter {
  /**
   * Resolves when the caller may start one request, with the start time (clock ms). Callers are
   * served in order, on a timeline of slots 1000/(rate × margin) ms apart, and never more than
   * floor(rate) of them start in any window of 1000/margin ms.
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
  /** The cap now: the user's cap, or lower while a shared budget allows less. */
  readonly cap: number;
  /**
   * Changes the cap, from 0 (no start until it is raised) to the cap the limiter was created with.
   * Lower: the rate follows at once, for the next start. Higher: a rate that sat at the old cap
   * follows it; a rate that a slow-down had cut keeps climbing from where it is (AIMD).
   */
  setCap(cap: number): void;
}

/**
 * Headroom the engine plans with: 4 % under the rate, so any 50 consecutive starts at a cap of 50
 * span ≥ 1041 ms, and a request delayed up to ~40 ms more than the one 50 later still cannot make
 * 51 arrivals in a second. Measured on the loaded bench machine (bench (a)): from the engine's
 * start to the endpoint's arrival, delays vary by up to 20–40 ms (event-loop and scheduler stalls
 * on either side); at 2 % headroom a 51st arrival in a second happened in most runs, and each
 * throttle halves the rate, costing more than the headroom does. Measured again with parallelism
 * following the latency (bench a, a4, a10): at 1.5 % headroom (0.985) every scenario drew 1–4
 * throttles per run, even at a load average under 2 per core, and reached 0.79–0.92 of the cap;
 * at 4 %, a4 and a10 drew none and reached 0.956 (the 0.96 ceiling).
 */
export const ENGINE_RATE_MARGIN = 0.96;

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const maxCap = options.cap;
  if (!(maxCap > 0) || !Number.isFinite(maxCap))
    throw new RangeError(`The rate cap must be a positive number (got ${maxCap}).`);
  let cap = maxCap;
  const margin = options.margin ?? 1;
  if (!(margin > 0 && margin <= 1)) throw new RangeError(`The margin must be in (0, 1] (got ${margin}).`);
  const clock = options.clock ?? realClock;
  const floor = Math.min(options.floor ?? 1, maxCap);
  const factor = options.decreaseFactor ?? 0.5;
  const failureFactor = options.failureDecreaseFactor ?? 0.8;
  const step = options.increaseStep ?? Math.max(1, maxCap / 10);
  const calmMs = options.increaseIntervalMs ?? 1000;
  const windowMs = 1000 / margin;

  let rate = cap;
  let lastDecreaseAt = Number.NEGATIVE_INFINITY;
  let lastChangeAt = clock.now();
  // The planned slot of the previous start (not its actual time: see rule 1 above).
  let lastSlot = Number.NEGATIVE_INFINITY;
  // The last floor(cap) start times, oldest overwritten first: the guard's memory (rule 2). Sized
  // for the highest cap: a lower one looks fewer starts back in the same ring.
  const size = Math.max(1, Math.floor(maxCap));
  const ring = new Float64Array(size);
  let started = 0;
  /** The k-th most recent start (k ≥ 1), or -Infinity when fewer have started. */
  const recent = (k: number): number =>
    k > started || k > size ? Number.NEGATIVE_INFINITY : (ring[(started - k) % size] ?? 0);
  // One waiter at a time, in order: the head of the queue owns the next slot.
  let turn: Promise<unknown> = Promise.resolve();
  // The head waiter parks here while the cap is 0; setCap wakes it.
  let wake: (() => void) | null = null;

  const acquire = (): Promise<number> => {
    const mine = turn.then(async () => {
      let askedAt = clock.now();
      for (;;) {
        if (rate <= 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          // A pause is not lost time to make up: the timeline starts again from the raise.
          askedAt = clock.now();
          continue;
        }
        const interval = 1000 / (rate * margin);
        const slot = Math.max(lastSlot + interval, askedAt);
        const guard = recent(Math.max(1, Math.floor(rate))) + windowMs;
        const at = Math.max(slot, guard);
        const now = clock.now();
        // Whole milliseconds, rounded up, so a sleep never wakes a fraction of a ms too early.
        if (at > now) {
          await clock.sleep(Math.ceil(at - now));
          continue;
        }
        // A start held back by the guard re-plans from there (the timeline had run ahead).
        lastSlot = Math.max(slot, guard);
        ring[started % size] = now;
        started += 1;
        return now;
      }
    });
    turn = mine.catch(() => undefined);
    return mine;
  };

  return {
    get cap() {
      return cap;
    },
    acquire,
    rate: () => rate,
    setCap(next) {
      if (!(next >= 0 && next <= maxCap))
        throw new RangeError(`The rate cap must be from 0 to ${maxCap} (got ${next}).`);
      rate = rate >= cap ? next : Math.min(rate, next);
      cap = next;
      if (rate > 0 && wake !== null) {
        const resume = wake;
        wake = null;
        resume();
      }
    },
    slowDown(startedAt, cause = 'throttled') {
      if (startedAt < lastDecreaseAt) return;
      const now = clock.now();
      rate = Math.min(cap, Math.max(floor, rate * (cause === 'throttled' ? factor : failureFactor)));
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
