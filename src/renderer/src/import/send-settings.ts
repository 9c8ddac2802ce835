/** Checks on the rate cap and parallelism before a job starts: the shared limits main enforces too. */
export { rateError, concurrencyError } from '@shared/send-limits';
