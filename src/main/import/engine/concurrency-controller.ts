/**
 * How many rows a capped run works on at once when the user left parallelism to the engine: enough
 * for the cap at the latency the run observes, so the cap binds, never the parallelism. Little's
 * law: requests in flight = rate × latency; a fixed rate × 250 ms ran a 400 ms endpoint (another
 * region, a pre sign-up Lambda: docs/cognito.md) at 0.56 of its cap.
 *
 * The latency is an EWMA of the answers' round trips, but never less than the age of the oldest
 * request still unanswered: before the first answer (and when the service slows down) the EWMA
 * knows nothing yet, and a run at 1 s latency would otherwise spend its first second at a
 * parallelism sized for 250 ms. The target is a limit, not a quota: the rate limiter still paces
 * every start, so a larger target only lets more requests wait for their slot.
 */
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '@shared/send-limits';

export interface TargetShape {
  /** Multiplies rate × latency: room for latency spread around the mean (default 1.25). */
  headroom: number;
  /** Rows on top, waiting for their slot in the limiter so none is ever missed (default 2). */
  spare: number;
  min: number;
  max: number;
}

export const DEFAULT_TARGET_SHAPE: TargetShape = {
  headroom: 1.25,
  spare: 2,
  min: DEFAULT_CONCURRENCY,
  max: MAX_CONCURRENCY,
};

/** What concurrencyFor() assumes before anything was measured. */
export const PRIOR_LATENCY_MS = 250;
/** Weight of each new round trip in the EWMA: ~10 answers to follow a change. */
export const LATENCY_SMOOTHING = 0.2;

/** Rows in flight for `rate`/s at `latencyMs` each: ceil(rate × latency × headroom) + spare, clamped. */
export function targetFor(
  rate: number,
  latencyMs: number,
  shape: TargetShape = DEFAULT_TARGET_SHAPE,
): number {
  const needed = Math.ceil((rate * latencyMs * shape.headroom) / 1000) + shape.spare;
  return Math.min(shape.max, Math.max(shape.min, needed));
}

/**
 * The smallest latency (ms) at which targetFor() exceeds `inUse`, or null when it never can (at
 * the maximum). Inverse of targetFor: ceil(x) + spare > n ⇔ x > n − spare.
 */
export function latencyAbove(
  inUse: number,
  rate: number,
  shape: TargetShape = DEFAULT_TARGET_SHAPE,
): number | null {
  if (inUse >= shape.max) return null;
  if (inUse < shape.min) return 0;
  return ((inUse - shape.spare) * 1000) / (rate * shape.headroom);
}

export function smoothed(previous: number | null, sample: number, weight = LATENCY_SMOOTHING): number {
  return previous === null ? sample : previous + weight * (sample - previous);
}

export interface ConcurrencyController {
  /** A request starts now; call the returned function when its answer comes. */
  sendStarted(): () => void;
  /** Rows that may be worked on at once, now. */
  target(): number;
  /**
   * When target() will exceed `inUse` by the oldest unanswered request ageing alone (clock ms,
   * rounded up past the boundary), or null when nothing in flight can make it rise.
   */
  riseAt(inUse: number): number | null;
  /** The latency estimate now (ms), for reports and tests. */
  latency(): number;
}

export interface ConcurrencyControllerOptions {
  /** The limiter's current rate (requests/s): it falls when Cognito throttles, and the target with it. */
  rate: () => number;
  now: () => number;
  shape?: TargetShape;
}

export function createConcurrencyController(options: ConcurrencyControllerOptions): ConcurrencyController {
  const { rate, now } = options;
  const shape = options.shape ?? DEFAULT_TARGET_SHAPE;
  let average: number | null = null;
  // Start times of the unanswered requests; a Map keeps insertion (= start) order, so the first
  // entry is the oldest.
  const inFlight = new Map<number, number>();
  let nextId = 0;

  const oldestStart = (): number | undefined => inFlight.values().next().value;
  const latency = (): number => {
    const oldest = oldestStart();
    const age = oldest === undefined ? 0 : now() - oldest;
    return Math.max(average ?? PRIOR_LATENCY_MS, age);
  };

  return {
    sendStarted() {
      const id = nextId++;
      const startedAt = now();
      inFlight.set(id, startedAt);
      return () => {
        if (!inFlight.delete(id)) return;
        average = smoothed(average, now() - startedAt);
      };
    },
    target: () => targetFor(rate(), latency(), shape),
    riseAt(inUse) {
      const oldest = oldestStart();
      const needed = latencyAbove(inUse, rate(), shape);
      if (oldest === undefined || needed === null) return null;
      return Math.floor(oldest + needed) + 1;
    },
    latency,
  };
}
