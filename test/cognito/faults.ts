/**
 * The fault plan of the Cognito proxy: which SignUp calls to slow down, throttle, fail or cut off.
 * Pure state + decisions (no I/O) so the proxy stays a thin HTTP layer. The failure kinds are the
 * ones docs/cognito.md#errors says a bulk run must survive or stop on.
 */

/** Fire for the next `count` calls, or for a fraction `probability` (0–1) of calls, or both (count first). */
export interface CountedFault {
  count?: number;
  probability?: number;
}

export interface ServerErrorFault extends CountedFault {
  /** InternalErrorException = Cognito's own 500 with a JSON body; bare500 = an empty 500 (a load balancer). */
  kind?: 'InternalErrorException' | 'bare500';
}

/** What Cognito answers when a Lambda trigger fails (docs/cognito.md#errors). */
export type BrokenLambdaError = 'UnexpectedLambdaException' | 'InvalidLambdaResponseException';

export interface FaultOptions {
  /** Delay every SignUp call by this many ms before answering. */
  delayMs?: number;
  /** Answer TooManyRequestsException to calls above this many per second (sliding 1 s window). */
  throttleRps?: number | null;
  serverError?: ServerErrorFault | null;
  /** Destroy the socket instead of answering. */
  reset?: CountedFault | null;
  /**
   * Once this many sign-ups have succeeded since it was set, create each further user and answer
   * LimitExceededException (the code could not be sent), as Cognito does.
   */
  limitExceededAfter?: number | null;
  /** A broken pre sign-up Lambda trigger: every SignUp is answered with this error, nothing is created. */
  brokenPreSignUp?: BrokenLambdaError | null;
  /** Answer SignUp from an in-memory user set instead of cognito-local (benchmarks). */
  fast?: boolean;
  /** Seed for the probabilistic faults, so a failing run can be replayed. */
  seed?: number;
}

export interface FaultState {
  delayMs: number;
  throttleRps: number | null;
  serverError: ServerErrorFault | null;
  reset: CountedFault | null;
  limitExceededAfter: number | null;
  brokenPreSignUp: BrokenLambdaError | null;
  fast: boolean;
  seed: number | null;
}

export type FaultDecision =
  | { kind: 'reset' }
  | { kind: 'throttle' }
  | { kind: 'serverError'; bare: boolean }
  | { kind: 'limitExceeded' }
  | { kind: 'brokenLambda'; error: BrokenLambdaError }
  | { kind: 'pass' };

/** mulberry32: a tiny seedable PRNG, enough for picking which calls fail. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  #state: FaultState = {
    delayMs: 0,
    throttleRps: null,
    serverError: null,
    reset: null,
    limitExceededAfter: null,
    brokenPreSignUp: null,
    fast: false,
    seed: null,
  };
  #random: () => number = Math.random;
  /** Times (ms) of the calls admitted within the last second, for the throttle. */
  #window: number[] = [];
  #successesSinceLimitSet = 0;
  /** Calls let through and not yet settled: they count against the limit so concurrency cannot overshoot it. */
  #inFlight = 0;

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  /** Merges a patch into the plan; `null` switches a fault off. */
  set(patch: FaultOptions): void {
    const next = { ...this.#state };
    if (patch.delayMs !== undefined) next.delayMs = Math.max(0, patch.delayMs);
    if (patch.throttleRps !== undefined) next.throttleRps = patch.throttleRps;
    if (patch.serverError !== undefined) next.serverError = patch.serverError && { ...patch.serverError };
    if (patch.reset !== undefined) next.reset = patch.reset && { ...patch.reset };
    if (patch.limitExceededAfter !== undefined) {
      next.limitExceededAfter = patch.limitExceededAfter;
      this.#successesSinceLimitSet = 0;
    }
    if (patch.brokenPreSignUp !== undefined) next.brokenPreSignUp = patch.brokenPreSignUp;
    if (patch.fast !== undefined) next.fast = patch.fast;
    if (patch.seed !== undefined) {
      next.seed = patch.seed;
      this.#random = seededRandom(patch.seed);
    }
    if (patch.throttleRps !== undefined) this.#window = [];
    this.#state = next;
  }

  /** Switches every fault off (fast mode included). */
  clear(): void {
    this.#state = {
      ...this.#state,
      delayMs: 0,
      throttleRps: null,
      serverError: null,
      reset: null,
      limitExceededAfter: null,
      brokenPreSignUp: null,
      fast: false,
    };
    this.#window = [];
  }

  get(): FaultState {
    return structuredClone(this.#state);
  }

  /** Decides what happens to one SignUp call; counted faults are consumed here. */
  decide(now: number = Date.now()): FaultDecision {
    const state = this.#state;
    if (this.#take(state.reset)) return { kind: 'reset' };
    if (state.throttleRps !== null) {
      this.#window = this.#window.filter((time) => now - time < 1000);
      if (this.#window.length >= state.throttleRps) return { kind: 'throttle' };
      this.#window.push(now);
    }
    if (this.#take(state.serverError)) {
      return { kind: 'serverError', bare: state.serverError?.kind === 'bare500' };
    }
    if (state.brokenPreSignUp !== null) return { kind: 'brokenLambda', error: state.brokenPreSignUp };
    if (
      state.limitExceededAfter !== null &&
      this.#successesSinceLimitSet + this.#inFlight >= state.limitExceededAfter
    ) {
      return { kind: 'limitExceeded' };
    }
    this.#inFlight += 1;
    return { kind: 'pass' };
  }

  /** The proxy reports how every call decide() let through ended (created a user or not). */
  settle(created: boolean): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (created) this.#successesSinceLimitSet += 1;
  }

  #take(fault: CountedFault | null): boolean {
    if (fault === null) return false;
    if (fault.count !== undefined && fault.count > 0) {
      fault.count -= 1;
      return true;
    }
    return fault.probability !== undefined && this.#random() < fault.probability;
  }
}
