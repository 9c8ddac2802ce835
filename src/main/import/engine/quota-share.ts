/**
 * A run's place in its account's sign-up budget (src/main/quota): jobs on one AWS account and
 * Region share Cognito's UserCreation quota — in this process, the app, any CLI — so each run
 * joins with its profile's account key and quota just before it sends, and leaves when it ends.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html (docs/cognito.md#quota)
 */
import { quotaAccountKey, userCreationQuota } from '@shared/quota-rules';
import type { Database } from '../../store/database';
import { openQuotaBudget, type QuotaBudget } from '../../quota/quota-budget';
import { startQuotaSession, type QuotaSession } from '../../quota/quota-session';
import type { JobRecord } from '../job-store';
import { ENGINE_RATE_MARGIN, type RateLimiter } from '../rate-limiter';
import type { EngineTime } from './timing';

/**
 * How long capacity a job gives up stays counted for it: the engine's limiters guard a window of
 * 1000 / ENGINE_RATE_MARGIN ms, so a job's starts count that long, not just one second.
 */
const ENGINE_QUOTA_HOLD_MS = Math.ceil(1000 / ENGINE_RATE_MARGIN);

export type { QuotaBudget } from '../../quota/quota-budget';

/** The budget over the data folder's database, on the engine's clock: shared by every process. */
export function engineQuotaBudget(db: Database, now: () => number): QuotaBudget {
  return openQuotaBudget(db, { now, holdMs: ENGINE_QUOTA_HOLD_MS });
}

/** Joins the job's budget; null when there is no budget or no cap (local endpoints only). */
export function shareQuota(
  budget: QuotaBudget | null,
  job: JobRecord,
  limiter: RateLimiter | null,
  time: EngineTime,
  onChange: () => void,
): QuotaSession | null {
  if (budget === null || limiter === null) return null;
  const connection = job.settings.connection;
  const userCap = limiter.cap;
  const handle = budget.join({
    accountKey: quotaAccountKey(connection),
    quota: userCreationQuota(connection),
    requested: userCap,
    jobId: job.id,
  });
  return startQuotaSession({
    handle,
    limiter,
    userCap,
    timers: time.scheduler,
    now: () => time.clock.now(),
    onChange,
    // A failed renew already holds the job at a cap of 0 until one succeeds; the database failing
    // for good stops the job through its commits.
  });
}
