/**
 * A job run's membership of its account's sign-up budget: renews the handle on a timer, keeps the
 * run's rate limiter at min(the user's cap, what the budget allows), and leaves when the run ends.
 * The budget is why two jobs on one account no longer put 78 requests into one second of a 50/s
 * quota: https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html (docs/cognito.md#quota)
 *
 * Starts are leased: a reclaim counts a job's starts only up to its last heartbeat + ttl, so the
 * session's acquire never hands out a start past that without renewing first. That matters for a
 * process that was frozen (a suspended laptop, a long GC): its limiter's timers may fire before its
 * renew timer does, and by then its allocation may belong to another job.
 */
import type { RateLimiter } from '../import/rate-limiter';
import type { Allowance, QuotaHandle } from './quota-budget';

/** How often a job renews: well inside the budget's 3-s ttl, often enough to follow a newcomer. */
const RENEW_INTERVAL_MS = 400;

/** Timers as setTimeout/clearTimeout give them (the engine's injected scheduler). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface QuotaSessionOptions {
  handle: QuotaHandle;
  limiter: RateLimiter;
  /** The user's cap for this job, requests/s. */
  userCap: number;
  timers: Timers;
  now: () => number;
  intervalMs?: number;
  /** The allowance changed (rate or the number of jobs sharing): for progress events. */
  onChange?: (allowance: Allowance) => void;
  /** A renew failed (the database busy or gone): the job sends nothing until one succeeds. */
  onError?: (error: unknown) => void;
}

export interface QuotaSession {
  allowance(): Allowance;
  /** The limiter's acquire, but only ever answering a start within the lease. */
  acquire(): Promise<number>;
  /** Stops renewing and leaves the budget. Idempotent. */
  end(): void;
}

export function startQuotaSession(options: QuotaSessionOptions): QuotaSession {
  const { handle, limiter, timers, now } = options;
  const interval = options.intervalMs ?? RENEW_INTERVAL_MS;
  let current = handle.allowance();
  let timer: unknown = null;
  let ended = false;

  const apply = (next: Allowance): void => {
    const changed = next.allowedRate !== current.allowedRate || next.sharedWith !== current.sharedWith;
    current = next;
    limiter.setCap(Math.min(options.userCap, next.allowedRate));
    if (changed) options.onChange?.(next);
  };

  const renewNow = (): void => {
    try {
      apply(handle.renew());
    } catch (error) {
      // Without a heartbeat others reclaim this job's share after the ttl: stop sending now.
      limiter.setCap(0);
      options.onError?.(error);
    }
  };

  const schedule = (): void => {
    timer = timers.setTimeout(() => {
      if (ended) return;
      renewNow();
      schedule();
    }, interval);
  };

  limiter.setCap(Math.min(options.userCap, current.allowedRate));
  schedule();

  return {
    allowance: () => current,
    async acquire() {
      for (;;) {
        const start = await limiter.acquire();
        if (ended || now() < handle.expiresAt()) return start;
        // The lease ran out while waiting (the process was frozen): renew, then take a slot again
        // under what the budget allows now. The slot just taken stays in the guard's window.
        renewNow();
      }
    },
    end() {
      if (ended) return;
      ended = true;
      if (timer !== null) timers.clearTimeout(timer);
      handle.leave();
      // A worker parked at a cap of 0 must wake to see that the run is over.
      limiter.setCap(options.userCap);
    },
  };
}
