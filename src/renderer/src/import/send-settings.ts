/** Checks on the rate cap and parallelism before a job starts: the shared limits main enforces too. */
export { MAX_CONCURRENCY, rateError, concurrencyError, concurrencyFor } from '@shared/send-limits';
