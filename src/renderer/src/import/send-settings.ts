/** Checks on the rate cap and parallelism before a job starts (the contract's bounds, in words). */
export const MAX_RATE = 50;
export const MAX_CONCURRENCY = 64;

export function rateError(rate: number): string | null {
  if (typeof rate !== 'number' || !Number.isFinite(rate)) return 'Enter a number of requests per second.';
  if (rate < 1 || rate > MAX_RATE) return `Choose from 1 to ${MAX_RATE} requests per second.`;
  return null;
}

export function concurrencyError(concurrency: number): string | null {
  if (
    typeof concurrency !== 'number' ||
    !Number.isInteger(concurrency) ||
    concurrency < 1 ||
    concurrency > MAX_CONCURRENCY
  )
    return `Choose a whole number from 1 to ${MAX_CONCURRENCY}.`;
  return null;
}
