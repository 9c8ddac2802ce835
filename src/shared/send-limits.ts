/**
 * How fast a bulk job may send. SignUp shares the account's UserCreation quota — 50 requests/s
 * per account and region by default, more where AWS raised it — with production traffic, so the
 * default stays well under it and the cap never goes above the profile's quota (quota-rules.ts).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
 */
import { DEFAULT_USER_CREATION_QUOTA } from './quota-rules';

export const DEFAULT_RATE = 10;
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;

/**
 * Enough requests in flight to keep up with the rate: rate × a round trip (250 ms by default),
 * at least the default. Four workers top out near 30/s when a round trip takes 130 ms.
 */
export function concurrencyFor(rate: number | null, roundTripMs = 250): number {
  if (rate === null) return DEFAULT_CONCURRENCY;
  return Math.min(MAX_CONCURRENCY, Math.max(DEFAULT_CONCURRENCY, Math.ceil((rate * roundTripMs) / 1000)));
}

/** What is wrong with a rate the user typed, in words, or null. `quota`: the profile's quota. */
export function rateError(rate: number, quota: number = DEFAULT_USER_CREATION_QUOTA): string | null {
  if (typeof rate !== 'number' || !Number.isFinite(rate)) return 'Enter a number of requests per second.';
  if (rate < 1 || rate > quota)
    return `Choose from 1 to ${quota} requests per second (the profile's sign-up quota).`;
  return null;
}

export function concurrencyError(concurrency: number): string | null {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    return `Choose a whole number from 1 to ${MAX_CONCURRENCY}.`;
  return null;
}
