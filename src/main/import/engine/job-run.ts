/**
 * One run of a job, start to end: count the rows (first run only), open the report (restoring the
 * lines a kill cut off), send with `concurrency` workers — or, when parallelism follows the
 * latency, MAX_CONCURRENCY workers gated by worker-gate.ts — then commit what waits, hand back the
 * rows reserved but never sent, and store the state the run's halt means.
 */
import type { LogEntry } from '@shared/contract';
import { MAX_CONCURRENCY } from '@shared/send-limits';
import type { ClientFactory } from '../../cognito/client';
import type { sendSignUp } from '../../cognito/sign-up-call';
import type { LogStore } from '../../log/log-store';
import type { QuotaBudget } from '../../quota/quota-budget';
import type { Database } from '../../store/database';
import type { Lease } from '../job-lease';
import type { JobRecord, JobStore } from '../job-store';
import { createRateLimiter, ENGINE_RATE_MARGIN } from '../rate-limiter';
import { createReportWriter, type ReportWriter } from '../report-writer';
import { dropPartialLastLine, restoreMissingLines } from '../report-repair';
import type { RetryPolicy } from '../retry-policy';
import type { PasswordSource } from '../row-builder';
import { createConcurrencyController } from './concurrency-controller';
import { countRows } from './counting-pass';
import { createOutcomeCommitter } from './outcome-committer';
import { shareQuota } from './quota-share';
import { jobEntryBase } from './outcome-records';
import { createRowSender } from './row-sender';
import { createRowSource } from './row-source';
import { finalState, haltOf, internalReason, stopRun, type Run } from './run-state';
import { capOf } from './send-settings';
import type { EngineTime } from './timing';
import { createWorkerGate, type WorkerGate } from './worker-gate';

/** What every run of an engine shares. */
export interface RunContext {
  db: Database;
  store: JobStore;
  log: Pick<LogStore, 'get'>;
  time: EngineTime;
  clientFactory: ClientFactory;
  send: typeof sendSignUp;
  policy: RetryPolicy;
  /** The sign-up budget shared with every job on the same account; null: each job paces alone. */
  quota: QuotaBudget | null;
  onRow: (jobId: string, entry: LogEntry) => void;
  onProgress: (jobId: string, force?: boolean) => void;
  /** The engine's registry of runs: a run is in it from its launch to its end. */
  runs: Map<string, Run>;
}

/**
 * Marks the job running and starts its run in the background; `run.done` settles when it ends.
 * The run holds `lease` (job-lease.ts) to its end, which stores its end state and gives it up.
 */
export function launchRun(
  context: RunContext,
  job: JobRecord,
  secret: string | null,
  passwordSource: PasswordSource,
  lease: Lease,
): Run {
  const { store, time } = context;
  const now = time.clock.now;
  store.setState(job.id, 'running', null);
  const cap = capOf(job.settings);
  const stored = store.counts(job.id);
  const run: Run = {
    job,
    halt: null,
    limiter: cap === null ? null : createRateLimiter({ cap, clock: time.clock, margin: ENGINE_RATE_MARGIN }),
    quota: null,
    starts: [],
    startedAt: now(),
    done: Promise.resolve(),
    counts: {
      created: stored.created,
      exists: stored.exists,
      invalid: stored.invalid,
      failed: stored.failed,
    },
    totals:
      job.totalRows === null || job.validRows === null ? null : { rows: job.totalRows, valid: job.validRows },
    claim: lease,
  };
  // A renewal that finds the claim lapsed or taken over stops the run at once.
  lease.onLapse((reason) => {
    stopRun(run, internalReason(reason));
    context.onProgress(job.id, true);
  });
  context.runs.set(job.id, run);
  const release = time.keepAlive();
  run.done = (async () => {
    let report: ReportWriter | null = null;
    try {
      if (run.totals === null) run.totals = await countRows(context.db, store, job, passwordSource);
      context.onProgress(job.id, true);
      report = await openReport(context, job, passwordSource);
      // Joined only now, so a long counting pass holds none of the account's quota.
      run.quota = shareQuota(context.quota, job, run.limiter, time, () => context.onProgress(job.id, true));
      await sendRows(context, run, secret, passwordSource, report);
    } catch (error) {
      // Our side failed: this reason wins over any other halt.
      run.halt = { kind: 'stop', reason: internalReason(error) };
    } finally {
      // Every request of the run has its answer: its share goes back (held a second for others).
      run.quota?.end();
      if (report !== null) await report.close().catch(() => undefined);
      try {
        store.addElapsed(job.id, now() - run.startedAt);
        const halt = haltOf(run);
        // Nothing is written when another process took the job over: the job is its now.
        lease.finish(finalState(halt), halt?.kind === 'stop' ? halt.reason : null);
      } catch (error) {
        // The store cannot be written (the disk filled): the job stays 'running' under a lease
        // nobody renews, which reads as interrupted once it lapses, and the run still ends here
        // so that its caller hears why.
        stopRun(run, internalReason(error));
      }
      context.runs.delete(job.id);
      context.onProgress(job.id, true);
      release();
    }
  })();
  return run;
}

/** The results report, appended to; lines a kill cut off are restored from the log first. */
async function openReport(
  context: RunContext,
  job: JobRecord,
  passwordSource: PasswordSource,
): Promise<ReportWriter | null> {
  const reportPath = job.settings.reportPath;
  if (reportPath === undefined) return null;
  const includePasswords = passwordSource.kind === 'generated';
  await dropPartialLastLine(reportPath);
  const report = await createReportWriter(reportPath, { includePasswords, append: true });
  await restoreMissingLines({
    jobId: job.id,
    reportPath,
    store: context.store,
    entry: (logId) => {
      try {
        return context.log.get(logId);
      } catch {
        return null;
      }
    },
    writer: report,
    includePasswords,
  });
  return report;
}

/** The sending pass: `concurrency` workers over the row source, outcomes through the committer. */
async function sendRows(
  context: RunContext,
  run: Run,
  secret: string | null,
  passwordSource: PasswordSource,
  report: ReportWriter | null,
): Promise<void> {
  const { store, time } = context;
  const job = run.job;
  const settings = job.settings;
  const gate = latencyGate(run, time);
  const workers = gate === null ? settings.concurrency : MAX_CONCURRENCY;
  const client = context.clientFactory({
    region: settings.connection.region,
    ...(settings.connection.endpoint !== undefined && { endpoint: settings.connection.endpoint }),
    maxAttempts: 1,
    // Enough sockets for every worker: fewer would queue requests inside the agent, unseen.
    maxSockets: workers,
  });
  const committer = createOutcomeCommitter({
    store,
    jobId: job.id,
    report,
    scheduler: time.scheduler,
    onCommitted: (group, entries) => {
      for (const item of group) run.counts[item.outcome.state] += 1;
      for (const entry of entries) context.onRow(job.id, entry);
      context.onProgress(job.id);
    },
    onFailure: (error) => stopRun(run, internalReason(error)),
  });
  const entryBase = jobEntryBase(job.id, settings.connection);
  const source = createRowSource({ run, store, committer, passwordSource, entryBase, now: time.clock.now });
  const sendRow = createRowSender({
    run,
    client,
    connection: { ...settings.connection, secret },
    send: gate === null ? context.send : gate.timed(context.send),
    policy: context.policy,
    clock: time.clock,
    random: time.random,
    committer,
    source,
    entryBase,
    recordStop: (entry) => store.recordAttempt(entry),
    onStopped: (entry) => {
      context.onRow(job.id, entry);
      context.onProgress(job.id, true);
    },
  });

  const worker = async (): Promise<void> => {
    try {
      for (;;) {
        if (gate !== null && !gate.tryEnter()) await gate.enter();
        try {
          // Awaits only when the reader is behind (one await per row less on the common path).
          let item = source.takeReady();
          if (item === undefined) item = await source.take();
          if (item === null) break;
          await sendRow(item);
        } finally {
          gate?.leave();
        }
      }
    } catch (error) {
      // One worker's failure (the file became unreadable…) stops the others too.
      stopRun(run, internalReason(error));
      throw error;
    }
  };
  let failure: unknown = null;
  let unsent: number[] = [];
  try {
    const ended = await Promise.allSettled(Array.from({ length: workers }, worker));
    const rejected = ended.find((result) => result.status === 'rejected');
    if (rejected !== undefined) failure = rejected.reason;
  } finally {
    // Pause, stop, cancel and the end all commit what is waiting before the run counts as over.
    const closed = await source.close();
    unsent = closed.unsent;
    failure ??= closed.failure;
    await committer.drain().catch((error: unknown) => {
      failure ??= error;
    });
    try {
      // Once the claim lapsed, the rows 'sending' may be another holder's reservations.
      if (run.claim.lapsed() === null) store.release(job.id, unsent);
    } catch (error) {
      // Harmless to leave them: a row 'sending' but never sent is sent again on resume.
      failure ??= error;
    }
    gate?.close();
    client.destroy();
  }
  // Rethrown as caught: a store or read failure (an Error from node:sqlite or fs).
  if (failure !== null) throw failure as Error;
}

/**
 * The gate of a capped job whose parallelism the user left to the engine, else null: a number
 * the user gave is a hard limit (exactly that many workers), and without a cap there is no rate
 * to size the parallelism for.
 */
function latencyGate(run: Run, time: EngineTime): WorkerGate | null {
  const limiter = run.limiter;
  if (limiter === null || run.job.settings.adaptiveConcurrency !== true) return null;
  const controller = createConcurrencyController({ rate: () => limiter.rate(), now: time.clock.now });
  return createWorkerGate({ controller, now: time.clock.now, scheduler: time.scheduler });
}
