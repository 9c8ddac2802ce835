/**
 * The sending half of a bulk import: a registry of runs over the modules in ./engine. A job
 * streams a CSV file's rows, sends each valid one through SignUp at a capped, adaptive rate with
 * `concurrency` workers, and commits every row's outcome (with its log entry, in one transaction)
 * before counting it done; commits are grouped (engine/outcome-committer.ts), rows are reserved a
 * batch at a time (engine/row-source.ts), and errors follow Cognito's rules (docs/cognito.md,
 * retry-policy.ts). Jobs can be paused, resumed (after a pause, a stop, a quit or a crash: only
 * rows without an outcome are sent), cancelled, and their failed rows retried as a new job that
 * re-reads those rows from the (unchanged) source file by index.
 *
 * Memory: rows are read a chunk at a time, backpressured by the workers; what grows with the file
 * is the set of usernames seen, for the same duplicate check the dry run makes (row-judge.ts).
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { ImportProgressView } from '@shared/contract';
import { AppError } from '../errors';
import { createCognitoClient } from '../cognito/client';
import { sendSignUp } from '../cognito/sign-up-call';
import { prepareImportPlan, type ImportPlan } from './import-plan';
import { createJobStore, type JobRecord, type JobSettings, type JobStore } from './job-store';
import { createJobLeases, heldError, processIdentity, whileClaimed } from './job-lease';
import { resumePasswordSource, storedPasswordSource } from './password-source';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { PENDING_CHECKSUM } from './engine/job-checksum';
import { launchRun, type RunContext } from './engine/job-run';
import { assertRoomFor } from './engine/disk-space';
import { assertReadable, assertUnchanged } from './engine/preflight';
import { createProgressEmitter, progressOf, PROGRESS_INTERVAL_MS } from './engine/progress';
import { requestHalt, type Halt, type Run } from './engine/run-state';
import { capOf, sendSettings } from './engine/send-settings';
import { systemKeepAlive, systemScheduler } from './engine/timing';
import { engineQuotaBudget } from './engine/quota-share';

export type { JobRecord } from './job-store';
export type { StopReason } from './retry-policy';
export type { ImportProgress } from './engine/progress';
export { UNCAPPED_RATE } from './engine/send-settings';
export { INTERRUPTED_NOTE } from './engine/outcome-records';
export { DEFAULT_RATE, MAX_CONCURRENCY } from '@shared/send-limits';

export type { StartOptions, ImportSummary, ImportEngineOptions, ImportEngine } from './engine/engine-types';
import type { ImportEngine, ImportEngineOptions, ImportSummary, StartOptions } from './engine/engine-types';

/** The plan a start sends: the one given, or one prepared from the file (its first lines). */
async function planOf(options: StartOptions): Promise<ImportPlan> {
  if ('plan' in options) return options.plan;
  await assertReadable(options.path);
  return prepareImportPlan(options.path, {
    passwordSource: options.passwordSource,
    delimiter: options.delimiter,
    overrides: options.mapping,
  });
}

export function createImportEngine(options: ImportEngineOptions): ImportEngine {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const scheduler = options.scheduler ?? systemScheduler;
  const store: JobStore = createJobStore(options.db, options.log, now);
  const events = new EventEmitter();
  const runs = new Map<string, Run>();
  const quota = options.quotaBudget === undefined ? engineQuotaBudget(options.db, now) : options.quotaBudget;

  const requireJob = (jobId: string): JobRecord => {
    const job = store.getJob(jobId);
    if (job === undefined) throw new AppError('JobNotFound', `There is no import job ${jobId}.`);
    return job;
  };

  // Who runs which job, across processes. A job still 'running' whose holder's lease has ended
  // is 'interrupted' (a crash, a kill): now, and whenever jobs are read (another process's crash).
  const leases = createJobLeases({
    db: options.db,
    now,
    timers: options.leaseTimers ?? scheduler,
    identity: options.identity ?? processIdentity(),
    getJob: requireJob,
  });

  const progress = (jobId: string): ImportProgressView =>
    progressOf(runs.get(jobId), () => ({ job: requireJob(jobId), counts: store.counts(jobId) }), now());

  const progressEvents = createProgressEmitter({
    now,
    scheduler,
    intervalMs: options.progressIntervalMs ?? PROGRESS_INTERVAL_MS,
    read: progress,
    emit: (jobId, figures) => events.emit('progress', jobId, figures),
  });

  const context: RunContext = {
    db: options.db,
    store,
    log: options.log,
    time: {
      clock: { now, sleep },
      scheduler,
      random: options.random ?? Math.random,
      keepAlive: systemKeepAlive,
    },
    clientFactory: options.clientFactory ?? createCognitoClient,
    send: options.send ?? sendSignUp,
    policy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    quota,
    runs,
    onRow: (jobId, entry) => events.emit('row', jobId, entry),
    onProgress: (jobId, force) => progressEvents.emit(jobId, force),
  };

  const summaryOf = (jobId: string): ImportSummary => {
    const job = requireJob(jobId);
    const p = progress(jobId);
    return {
      jobId,
      state: p.state,
      rows: p.rows,
      valid: p.valid,
      created: p.created,
      exists: p.exists,
      invalid: p.invalid,
      failed: p.failed,
      remaining: p.remaining,
      stopped: p.state === 'stopped',
      stopReason: job.stopReason,
      elapsedMs: p.elapsedMs,
    };
  };

  const halt = async (jobId: string, how: Halt): Promise<void> => {
    const run = runs.get(jobId);
    if (run === undefined) {
      const job = requireJob(jobId);
      if (how.kind === 'cancel' && job.state !== 'completed' && job.state !== 'cancelled') {
        // Not while another process sends it (JobRunning): its end would overwrite the cancel.
        leases.claim(jobId).lease.finish('cancelled', null);
        progressEvents.emit(jobId, true);
      }
      return;
    }
    requestHalt(run, how);
    // Its share goes back now: nothing more starts, and a worker waiting for a share wakes to see so.
    run.quota?.end();
    progressEvents.emit(jobId, true);
    await run.done;
  };

  return {
    async start(startOptions) {
      const speed = sendSettings(startOptions, undefined, startOptions.connection);
      const plan = await planOf(startOptions);
      await assertRoomFor(options.dataFolder, startOptions.reportPath, options.freeSpace);
      const secret = await startOptions.resolveSecret();
      const settings: JobSettings = {
        connection: startOptions.connection,
        overrides: plan.overrides,
        mapping: plan.mapping,
        delimiter: plan.delimiter,
        encoding: plan.encoding,
        passwordSource: storedPasswordSource(plan.passwordSource),
        ...speed,
        ...(startOptions.reportPath !== undefined && { reportPath: startOptions.reportPath }),
        caseSensitiveUsernames: startOptions.caseSensitiveUsernames ?? false,
      };
      // The checksum comes from the counting pass, which reads the file before anything is sent.
      // The job is this process's from its first commit: nobody else can have claimed a new id.
      const owner = leases.newOwner();
      const job = store.createJob({
        id: randomUUID(),
        sourcePath: plan.path,
        sourceSha256: PENDING_CHECKSUM,
        settings,
        owner,
      });
      launchRun(context, job, secret, plan.passwordSource, leases.hold(job.id, owner));
      return job.id;
    },

    pause: (jobId) => halt(jobId, { kind: 'pause' }),
    cancel: (jobId) => halt(jobId, { kind: 'cancel' }),

    // Claimed before the first await: of two resumes started together, one gets it.
    async resume(jobId, resumeOptions) {
      if (runs.has(jobId)) throw new AppError('JobRunning', 'This job is already running.');
      const { lease, job } = leases.claim(jobId, (claimed) => {
        if (claimed.state === 'completed')
          throw new AppError('JobFinished', 'This job has finished: every row has an outcome.');
        if (claimed.state === 'cancelled')
          throw new AppError('JobCancelled', 'This job was cancelled; start a new import instead.');
      });
      const { secret, passwordSource } = await whileClaimed(lease, async () => {
        const source = resumePasswordSource(job.settings.passwordSource, resumeOptions.passwordSource);
        await assertUnchanged(job);
        await assertRoomFor(options.dataFolder, job.settings.reportPath, options.freeSpace);
        return { secret: await resumeOptions.resolveSecret(), passwordSource: source };
      });
      launchRun(context, requireJob(jobId), secret, passwordSource, lease);
    },

    async wait(jobId) {
      requireJob(jobId);
      const run = runs.get(jobId);
      if (run === undefined) return summaryOf(jobId);
      await run.done;
      const summary = summaryOf(jobId);
      const halt = run.halt; // still 'running' after its end: the final state could not be stored
      if (summary.state !== 'running' || halt?.kind !== 'stop') return summary;
      return { ...summary, state: 'stopped', stopped: true, stopReason: halt.reason };
    },

    onProgress(listener) {
      events.on('progress', listener);
      return () => events.off('progress', listener);
    },
    onRow(listener) {
      events.on('row', listener);
      return () => events.off('row', listener);
    },
    progress,
    listJobs: () => {
      leases.interruptLapsed();
      return store.listJobs();
    },
    getJob: (jobId) => {
      leases.interruptLapsed();
      return requireJob(jobId);
    },

    failedRows(jobId) {
      requireJob(jobId);
      return store.rowsInState(jobId, 'failed').map(({ index, line, username, errorName, errorMessage }) => ({
        index,
        line,
        username,
        errorName,
        errorMessage,
      }));
    },

    async retryFailed(jobId, retryOptions) {
      if (runs.has(jobId))
        throw new AppError('JobRunning', 'Pause or wait for this job before retrying its failed rows.');
      // The parent is claimed before the first await, and its retry job (claimed as it is
      // created) keeps the next retry out: two retries of one job never send the same rows.
      const { lease: parentLease, job: parent } = leases.claim(jobId, (claimed) => {
        const retrying = leases.heldChild(claimed.id);
        if (retrying !== null)
          throw heldError(retrying, leases.isOwn(retrying), 'Its failed rows are being retried');
      });
      const prepared = await whileClaimed(parentLease, async () => {
        const failed = store.rowsInState(jobId, 'failed');
        if (failed.length === 0) throw new AppError('NoFailedRows', 'This job has no failed rows to retry.');
        const source = resumePasswordSource(parent.settings.passwordSource, retryOptions.passwordSource);
        // The failed rows are re-read from the source by index (their inputs are not stored, and a
        // password must not be), so the file must be the one the job read.
        await assertUnchanged(parent);
        return { failed, passwordSource: source, secret: await retryOptions.resolveSecret() };
      });
      const speed = sendSettings(
        retryOptions,
        {
          rate: capOf(parent.settings),
          ...(parent.settings.adaptiveConcurrency !== true && { concurrency: parent.settings.concurrency }),
        },
        parent.settings.connection,
      );
      const settings: JobSettings = { ...parent.settings, ...speed };
      delete settings.reportPath;
      if (retryOptions.reportPath !== undefined) settings.reportPath = retryOptions.reportPath;
      // The retry job is claimed as it is created, before the parent is given up (never neither).
      const owner = leases.newOwner();
      let job: JobRecord;
      try {
        job = store.createJob({
          id: randomUUID(),
          sourcePath: parent.sourcePath,
          sourceSha256: parent.sourceSha256,
          settings,
          parentJobId: parent.id,
          selection: prepared.failed.map((row) => row.index),
          owner,
        });
      } finally {
        parentLease.release();
      }
      launchRun(context, job, prepared.secret, prepared.passwordSource, leases.hold(job.id, owner));
      return job.id;
    },

    async close() {
      await Promise.all([...runs.keys()].map((jobId) => halt(jobId, { kind: 'pause' })));
      progressEvents.cancelPending();
    },
  };
}
