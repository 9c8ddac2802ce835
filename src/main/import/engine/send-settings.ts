/**
 * How fast a job sends: the checks on a requested rate and concurrency, the rate as stored with
 * the job, its cap, and how many rows one reservation takes.
 */
import { DEFAULT_USER_CREATION_QUOTA, userCreationQuota } from '@shared/quota-rules';
import { DEFAULT_RATE, MAX_CONCURRENCY, concurrencyFor } from '@shared/send-limits';
import { AppError } from '../../errors';
import type { JobSettings } from '../job-store';

/**
 * `rate: null` = no cap, only `concurrency` bounds the load: for local endpoints (cognito-local, the
 * sandbox, benchmarks) and QA seeding, never for a real pool — the IPC contract keeps the app's
 * rate a number (1 to the profile's sign-up quota, checkRate). Stored in JobSettings (and reported
 * as allowedRate) as 0, because JSON has no Infinity and a stored null would not be the `number`
 * JobSettings and JobView promise.
 */
export const UNCAPPED_RATE = 0;

/** Most rows reserved ('sending') in one transaction ahead of the workers. */
export const RESERVE_BATCH_MAX = 64;

/** The rate as stored in JobSettings: UNCAPPED_RATE for null (no cap). */
export function storedRate(rate: number | null): number {
  return rate === null ? UNCAPPED_RATE : rate;
}

/** A job's cap in requests per second, null when it has none. */
export function capOf(settings: Pick<JobSettings, 'rate'>): number | null {
  return settings.rate === UNCAPPED_RATE ? null : settings.rate;
}

/**
 * Checks a requested rate (null = no cap; a number, 0 included, must be a real cap). `quota`: the
 * profile's sign-up quota, the highest cap (docs/cognito.md#quota).
 */
export function checkRate(
  rate: number | null,
  concurrency: number,
  quota = DEFAULT_USER_CREATION_QUOTA,
): void {
  if (rate !== null && (!Number.isFinite(rate) || rate <= 0 || rate > quota))
    throw new AppError(
      'InvalidRate',
      `The rate must be between 1 and ${quota} requests per second (the profile's sign-up quota).`,
      {
        hint: "SignUp shares the account's UserCreation quota with production traffic: keep the import well under it. If AWS raised the quota, set it in the profile.",
      },
    );
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new AppError(
      'InvalidConcurrency',
      `Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}.`,
    );
}

/**
 * The checked rate (as stored) and concurrency of a job. `fallback` is what an absent rate and
 * concurrency mean: the defaults for a new job, the parent's for a retry (its concurrency only when
 * its user chose it). With no concurrency chosen, a capped job's parallelism follows the observed
 * latency (engine/concurrency-controller.ts), starting at concurrencyFor(rate); a number chosen is
 * a hard limit, and so is the default of a job without a cap (no rate to size it for).
 * `connection`: where the job sends, whose profile's sign-up quota is the highest cap
 * (docs/cognito.md#quota).
 */
export function sendSettings(
  requested: { rate?: number | null | undefined; concurrency?: number | undefined },
  fallback: { rate: number | null; concurrency?: number } = { rate: DEFAULT_RATE },
  connection: { userCreationQuota?: number | undefined } = {},
): Pick<JobSettings, 'rate' | 'concurrency' | 'adaptiveConcurrency'> {
  const rate = requested.rate === undefined ? fallback.rate : requested.rate;
  const chosen = requested.concurrency ?? fallback.concurrency;
  const concurrency = chosen ?? concurrencyFor(rate);
  checkRate(rate, concurrency, userCreationQuota(connection));
  return { rate: storedRate(rate), concurrency, adaptiveConcurrency: chosen === undefined && rate !== null };
}

/**
 * Rows reserved per transaction: a full batch without a cap; with one, about half a second of
 * sending (at least a row per worker), so a crash leaves few rows reserved that were never sent —
 * harmless either way: they are sent on resume and come back 'created'.
 */
export function reserveBatchSize(cap: number | null, concurrency: number): number {
  if (cap === null) return RESERVE_BATCH_MAX;
  return Math.min(RESERVE_BATCH_MAX, Math.max(concurrency, Math.ceil(cap / 2)));
}
