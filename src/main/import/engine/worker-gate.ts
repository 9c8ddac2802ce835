/**
 * Permits for a run's workers when parallelism follows the latency (concurrency-controller.ts):
 * the run starts MAX_CONCURRENCY workers and each holds a permit while it works on a row; a worker
 * beyond the controller's target waits here, first come first served. Waiters are let in when a
 * permit comes back, when an answer changes the estimate, and — with nothing answered — when the
 * oldest request in flight has aged enough to raise the target (a timer on the injected scheduler).
 */
import type { ConcurrencyController } from './concurrency-controller';
import type { Scheduler } from './timing';

export interface WorkerGate {
  /** Takes a permit at once when one is free (no await on the common path). */
  tryEnter(): boolean;
  /** Resolves when a permit is taken. */
  enter(): Promise<void>;
  leave(): void;
  /** Wraps a request so its round trip feeds the controller. */
  timed<A extends unknown[], R>(send: (...args: A) => Promise<R>): (...args: A) => Promise<R>;
  /** Clears the timer (the run is over). */
  close(): void;
  /** Permits held now. */
  inUse(): number;
}

export function createWorkerGate(options: {
  controller: ConcurrencyController;
  now: () => number;
  scheduler: Scheduler;
}): WorkerGate {
  const { controller, now, scheduler } = options;
  let held = 0;
  const waiting: Array<() => void> = [];
  let timer: unknown = null;

  const admit = (): void => {
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
    while (waiting.length > 0 && held < controller.target()) {
      held += 1;
      (waiting.shift() as () => void)();
    }
    if (waiting.length === 0) return;
    const at = controller.riseAt(held);
    if (at === null) return;
    // At least 1 ms on: a boundary lost to rounding must not spin on the same instant.
    timer = scheduler.setTimeout(
      () => {
        timer = null;
        admit();
      },
      Math.max(1, at - now()),
    );
  };

  const tryEnter = (): boolean => {
    if (waiting.length > 0 || held >= controller.target()) return false;
    held += 1;
    return true;
  };

  return {
    tryEnter,
    enter() {
      if (tryEnter()) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        admit();
      });
    },
    leave() {
      held -= 1;
      admit();
    },
    timed(send) {
      return async (...args) => {
        const answered = controller.sendStarted();
        // The first request in flight is what can age: the waiters' timer starts from it.
        if (waiting.length > 0 && timer === null) admit();
        try {
          return await send(...args);
        } finally {
          answered();
          if (waiting.length > 0) admit();
        }
      };
    },
    close() {
      if (timer !== null) scheduler.clearTimeout(timer);
      timer = null;
    },
    inUse: () => held,
  };
}
