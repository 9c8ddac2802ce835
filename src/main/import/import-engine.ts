/**
 * The sending half of a bulk import: streams a CSV file's rows, sends each valid one through
 * SignUp at a capped, adaptive rate with `concurrency` workers, and commits every row's outcome
 * (with its log entry, in one transaction) before counting it done. Commits are grouped (a commit
 * costs far more than a row): rows are reserved ('sending') a batch at a time before any of them
 * is sent, and outcomes commit in short groups — see job-store.ts for why that keeps the promise. Errors follow DESIGN.md's
 * table (see retry-policy.ts). Jobs can be paused, resumed (after a pause, a stop, a quit or a
 * crash: only rows without an outcome are sent), cancelled, and their failed rows retried as a
 * new job that re-reads those rows from the (unchanged) source file by index.
 *
 * Memory: rows are read a chunk at a time (readCsvRowBatches, backpressured by the workers); what grows with
 * the file is the set of usernames seen, for the same duplicate check the dry run makes.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { LogEntry } from '@shared/contract';
import { checkPassword, type SignUpInput } from '@shared/signup-rules';
import { DEFAULT_RATE, MAX_RATE, MAX_CONCURRENCY, concurrencyFor } from '@shared/send-limits';
import { AppError } from '../errors';
import {
  createCognitoClient,
  type CognitoClientOptions,
  type CognitoIdentityProviderClient,
} from '../cognito/client';
import { deliveryLogFields, sendSignUp, type Connection } from '../cognito/sign-up-call';
import type { LogStore, NewLogEntry } from '../log/log-store';
import type { Database } from '../store/database';
import { assertMappingUsable, suggestMapping, type MappingOverrides } from './column-mapping';
import { fileChecksum, inspectCsv, readCsvRowBatches, type CsvDelimiter, type CsvRow } from './csv-source';
import { assertPasswordPolicy, generatePassword } from './password-generator';
import { createReportWriter, type ReportRow, type ReportWriter } from './report-writer';
import { dropPartialLastLine, restoreMissingLines } from './report-repair';
import { buildRow, type PasswordSource } from './row-builder';
import {
  createJobStore,
  type ConnectionMetadata,
  type JobRecord,
  type JobSettings,
  type JobState,
  type JobStore,
  type OutcomeWithEntry,
  type RowCounts,
  type RowOutcome,
  type RowRef,
  type RowState,
} from './job-store';
import { createRateLimiter, ENGINE_RATE_MARGIN, type Clock, type RateLimiter } from './rate-limiter';
import {
  decide,
  DEFAULT_RETRY_POLICY,
  mayHaveReachedCognito,
  type RetryPolicy,
  type StopReason,
} from './retry-policy';

export type { ConnectionMetadata, JobRecord, JobState, StoredRow } from './job-store';
export type { StopReason } from './retry-policy';

export {
  DEFAULT_RATE,
  DEFAULT_CONCURRENCY,
  MAX_RATE,
  MAX_CONCURRENCY,
  concurrencyFor,
} from '@shared/send-limits';
/**
 * `rate: null` = no cap, only `concurrency` bounds the load: for local endpoints (cognito-local, the
 * sandbox, benchmarks) and QA seeding, never for a real pool — the IPC contract keeps the app's
 * rate between 1 and MAX_RATE. Stored in JobSettings (and reported as allowedRate) as 0, because
 * JSON has no Infinity and a stored null would not be the `number` JobSettings and JobView promise.
 */
export const UNCAPPED_RATE = 0;
export const PROGRESS_INTERVAL_MS = 100;

export const INTERRUPTED_NOTE = 'exists — possibly created by the interrupted attempt';
export const UNANSWERED_NOTE =
  'exists — possibly created by an earlier attempt of this job that got no answer';
export const STOPPED_HERE_NOTE =
  'The job stopped on this answer; the row is sent again when the job is resumed.';

export type SecretResolver = () => Promise<string | null>;

export interface StartOptions {
  path: string;
  connection: ConnectionMetadata;
  /** Called at start (and at each resume): the secret is never stored with the job. */
  resolveSecret: SecretResolver;
  /** COLUMN → target overrides on top of the suggested mapping. */
  mapping?: MappingOverrides;
  delimiter?: CsvDelimiter;
  passwordSource: PasswordSource;
  /** Requests per second (cap); default 10; null = no cap (local endpoints only, see UNCAPPED_RATE). */
  rate?: number | null;
  /**
   * Parallel requests; default concurrencyFor(rate) — enough for the rate at a 250 ms round trip
   * (4 up to 16/s, 13 at 50/s). A number given is a hard limit, even when it caps the rate lower.
   */
  concurrency?: number;
  /** Results CSV, appended to on resume; holds generated passwords (mode 0600) when they are generated. */
  reportPath?: string;
  caseSensitiveUsernames?: boolean;
}

export interface ResumeOptions {
  resolveSecret: SecretResolver;
  /** Needed when the job's passwords are shared (it is never stored); must be of the job's kind. */
  passwordSource?: PasswordSource;
}

export interface RetryFailedOptions extends ResumeOptions {
  /** Default: the parent job's; null = no cap. */
  rate?: number | null;
  concurrency?: number;
  reportPath?: string;
}

export interface ImportProgress {
  /** Rows in the job's scope; 0 until counted (a streaming pass before sending). */
  rows: number;
  valid: number;
  created: number;
  exists: number;
  invalid: number;
  failed: number;
  remaining: number;
  /** Request starts in the last second (measured), and the limiter's current allowed rate (0: no cap). */
  ratePerSecond: number;
  allowedRate: number;
  elapsedMs: number;
  state: JobState;
  stopReason?: StopReason;
}

export interface ImportSummary {
  jobId: string;
  state: JobState;
  rows: number;
  valid: number;
  created: number;
  exists: number;
  invalid: number;
  failed: number;
  /** Rows without an outcome (a paused, stopped, cancelled or interrupted job). */
  remaining: number;
  stopped: boolean;
  stopReason: StopReason | null;
  elapsedMs: number;
}

export interface FailedRow {
  index: number;
  line: number;
  username: string;
  errorName: string | null;
  errorMessage: string | null;
}

export type ClientFactory = (options: CognitoClientOptions) => CognitoIdentityProviderClient;

export interface ImportEngineOptions {
  db: Database;
  /** record() inside the outcome transactions; get() to restore report lines a kill cut off. */
  log: Pick<LogStore, 'record' | 'get'>;
  /** Default createCognitoClient; the engine asks for maxAttempts 1 (it retries itself). */
  clientFactory?: ClientFactory;
  /** The SignUp call (default sendSignUp); tests wrap it to observe or freeze calls. */
  send?: typeof sendSignUp;
  /** One clock for pacing and backoff: `sleep` must let `now` advance (a fake clock moves both). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  retryPolicy?: RetryPolicy;
  progressIntervalMs?: number;
  /** Identifies this process in the job table (default its pid). */
  owner?: string;
  /** Whether another process that owns a 'running' job is alive (default: signal 0 to its pid). */
  isOwnerAlive?: (owner: string) => boolean;
}

export interface ImportEngine {
  /** Checks the file, mapping and passwords, stores the job and returns its id; sending runs in the background. */
  start(options: StartOptions): Promise<string>;
  /** Stops sending new requests; in-flight ones finish and are recorded. Resolves when the job is paused. */
  pause(jobId: string): Promise<void>;
  /** Sends the rows without an outcome. Refuses when the file's checksum changed. */
  resume(jobId: string, options: ResumeOptions): Promise<void>;
  /** Like pause, but final. */
  cancel(jobId: string): Promise<void>;
  /** Resolves when the job's current run ends (at once when it is not running). */
  wait(jobId: string): Promise<ImportSummary>;
  onProgress(listener: (jobId: string, progress: ImportProgress) => void): () => void;
  onRow(listener: (jobId: string, entry: LogEntry) => void): () => void;
  progress(jobId: string): ImportProgress;
  listJobs(): JobRecord[];
  getJob(jobId: string): JobRecord;
  failedRows(jobId: string): FailedRow[];
  /** A new job that sends the given job's failed rows again, re-read from its source file. */
  retryFailed(jobId: string, options: RetryFailedOptions): Promise<string>;
  /** Pauses every running job (app quit): they resume later from where they stopped. */
  close(): Promise<void>;
}

type Halt = { kind: 'pause' } | { kind: 'cancel' } | { kind: 'stop'; reason: StopReason };

type OutcomeCounts = Pick<RowCounts, 'created' | 'exists' | 'invalid' | 'failed'>;

interface Run {
  job: JobRecord;
  halt: Halt | null;
  /** Null when the job has no rate cap. */
  limiter: RateLimiter | null;
  starts: number[];
  startedAt: number;
  done: Promise<void>;
  /** Committed outcomes (earlier runs included), kept in memory so progress reads no table. */
  counts: OutcomeCounts;
  /** Rows in scope and valid rows, once counted. */
  totals: { rows: number; valid: number } | null;
}

/** What a row's judge says: the SignUp input and the problems that keep it from being sent. */
interface Judged {
  input: SignUpInput;
  problems: string[];
  passwordGenerated: boolean;
}

/** A row reserved for sending (or found 'sending' after an interruption), waiting for a worker. */
interface ReadyRow {
  row: CsvRow;
  judged: Judged;
  /** Found 'sending' from an earlier run: its request may have reached Cognito. */
  interrupted: boolean;
}

interface PendingOutcome extends OutcomeWithEntry {
  reportRow: ReportRow;
}

/**
 * Group commit (see job-store.ts): an outcome waits at most this long, or until this many are
 * waiting, before its group commits; the next batch's reservation also commits whatever waits
 * (one transaction for both). Workers do not wait for it (only "done" does), so the window
 * costs no throughput; it is short next to the 100 ms progress interval, and long enough that a
 * fast run commits ~64 outcomes per transaction, with a reservation: measured with the log's
 * (then per-row) FTS5 trigger, ~90 µs of CPU per row in groups of 10–25 and ~55 µs in groups of
 * 64, against ~220 µs committing rows one by one. At 25 ms a fast run (~3000 rows/s) committed
 * twice per batch (~32 rows each): once on the timer, once with the reservation.
 */
export const OUTCOME_GROUP_WINDOW_MS = 50;
/** Most rows reserved ('sending') in one transaction ahead of the workers. */
export const RESERVE_BATCH_MAX = 64;
/**
 * Above a reservation batch, so that at full speed the reservation commits the waiting outcomes
 * (at 64 both fired in lock-step, each committing alone: twice the commits).
 */
export const OUTCOME_GROUP_MAX = 2 * RESERVE_BATCH_MAX;

/**
 * Rows reserved per transaction: a full batch without a cap; with one, about half a second of
 * sending (at least a row per worker), so a crash leaves few rows reserved that were never sent —
 * harmless either way: they are sent on resume and come back 'created'.
 */
export function reserveBatchSize(cap: number | null, concurrency: number): number {
  if (cap === null) return RESERVE_BATCH_MAX;
  return Math.min(RESERVE_BATCH_MAX, Math.max(concurrency, Math.ceil(cap / 2)));
}

function internalReason(error: unknown): StopReason {
  const shape = error instanceof Error ? error : new Error(String(error));
  return {
    category: 'internal',
    errorName: shape instanceof AppError ? shape.name : 'ImportFailed',
    message: shape.message,
    ...(shape instanceof AppError && shape.hint !== undefined && { hint: shape.hint }),
  };
}

/** Read through a call so TypeScript does not keep a narrowing from before an await. */
function haltOf(run: Run): Halt | null {
  return run.halt;
}

function defaultIsAlive(owner: string): boolean {
  const pid = Number(owner);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The rate as stored in JobSettings: UNCAPPED_RATE for null (no cap). */
function storedRate(rate: number | null): number {
  return rate === null ? UNCAPPED_RATE : rate;
}

/** A job's cap in requests per second, null when it has none. */
function capOf(settings: JobSettings): number | null {
  return settings.rate === UNCAPPED_RATE ? null : settings.rate;
}

/** Checks a requested rate (null = no cap; a number, 0 included, must be a real cap). */
function checkRate(rate: number | null, concurrency: number): void {
  if (rate !== null && (!Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE))
    throw new AppError('InvalidRate', `The rate must be between 1 and ${MAX_RATE} requests per second.`, {
      hint: "SignUp shares the account's UserCreation quota (50 requests/s by default) with production traffic: keep the import well under it.",
    });
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new AppError(
      'InvalidConcurrency',
      `Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}.`,
    );
}

function checkPasswordSource(source: PasswordSource): void {
  if (source.kind === 'shared') {
    const problem = checkPassword(source.password);
    if (problem !== null)
      throw new AppError('InvalidPassword', `The password for every row is not usable: ${problem}`);
  } else if (source.kind === 'generated') assertPasswordPolicy(source.policy);
}

export function createImportEngine(options: ImportEngineOptions): ImportEngine {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const clock: Clock = { now, sleep };
  const clientFactory = options.clientFactory ?? createCognitoClient;
  const send = options.send ?? sendSignUp;
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const progressEvery = options.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
  const owner = options.owner ?? String(process.pid);
  const isOwnerAlive = options.isOwnerAlive ?? defaultIsAlive;
  const store: JobStore = createJobStore(options.db, options.log, now);
  const events = new EventEmitter();
  const runs = new Map<string, Run>();
  const lastEmit = new Map<string, number>();
  const pendingEmit = new Map<string, ReturnType<typeof setTimeout>>();

  // A job still 'running' in the database with no live engine is 'interrupted' (a crash, a kill).
  // This engine runs nothing yet, so a job owned by this very process is not live either.
  store.markInterrupted((jobOwner) => jobOwner !== null && jobOwner !== owner && isOwnerAlive(jobOwner));

  const requireJob = (jobId: string): JobRecord => {
    const job = store.getJob(jobId);
    if (job === undefined) throw new AppError('JobNotFound', `There is no import job ${jobId}.`);
    return job;
  };

  const progressOf = (jobId: string): ImportProgress => {
    const run = runs.get(jobId);
    // A running job's figures live in its run (no table read per progress event); the stored
    // job's elapsed time and stop reason change only when a run ends.
    const fresh = run?.job ?? requireJob(jobId);
    const counts: OutcomeCounts = run?.counts ?? store.counts(jobId);
    const rows = run !== undefined ? (run.totals?.rows ?? 0) : (fresh.totalRows ?? 0);
    const valid = run !== undefined ? (run.totals?.valid ?? 0) : (fresh.validRows ?? 0);
    const done = counts.created + counts.exists + counts.invalid + counts.failed;
    const t = now();
    let ratePerSecond = 0;
    if (run !== undefined) {
      while (run.starts.length > 0 && t - (run.starts[0] ?? 0) >= 1000) run.starts.shift();
      ratePerSecond = run.starts.length;
    }
    const stopReason =
      run !== undefined ? (run.halt?.kind === 'stop' ? run.halt.reason : null) : fresh.stopReason;
    return {
      rows,
      valid,
      created: counts.created,
      exists: counts.exists,
      invalid: counts.invalid,
      failed: counts.failed,
      remaining: Math.max(0, rows - done),
      ratePerSecond,
      allowedRate: run?.limiter?.rate() ?? UNCAPPED_RATE,
      elapsedMs: fresh.elapsedMs + (run !== undefined ? t - run.startedAt : 0),
      state: run !== undefined ? 'running' : fresh.state,
      ...(stopReason !== null && stopReason !== undefined && { stopReason }),
    };
  };

  const emitProgress = (jobId: string, force = false): void => {
    const t = now();
    const last = lastEmit.get(jobId) ?? Number.NEGATIVE_INFINITY;
    if (!force && t - last < progressEvery) {
      // Throttled: one trailing update so the last change is never lost.
      if (!pendingEmit.has(jobId)) {
        const timer = setTimeout(
          () => {
            pendingEmit.delete(jobId);
            try {
              emitProgress(jobId, true);
            } catch {
              // A late update after the database closed (app quit) is not worth crashing for.
            }
          },
          progressEvery - (t - last),
        );
        timer.unref?.();
        pendingEmit.set(jobId, timer);
      }
      return;
    }
    const pending = pendingEmit.get(jobId);
    if (pending !== undefined) clearTimeout(pending);
    pendingEmit.delete(jobId);
    lastEmit.set(jobId, t);
    events.emit('progress', jobId, progressOf(jobId));
  };

  const summaryOf = (jobId: string): ImportSummary => {
    const job = requireJob(jobId);
    const p = progressOf(jobId);
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

  /** Same build and duplicate rule for counting and sending, so the counts match what is sent. */
  const createRowJudge = (job: JobRecord, passwordSource: PasswordSource) => {
    const settings = job.settings;
    // Generated passwords are drawn only for rows actually sent; a probe stands in while judging.
    const buildSource: PasswordSource =
      passwordSource.kind === 'generated'
        ? { kind: 'shared', password: generatePassword(passwordSource.policy) }
        : passwordSource;
    const firstLine = new Map<string, number>();
    const selection = store.hasSelection(job.id);
    return (row: CsvRow): Judged | null => {
      if (selection && !store.inSelection(job.id, row.index)) return null;
      const built = buildRow(row, settings.mapping, buildSource);
      const username = built.input.username;
      const messages = built.problems.map((problem) => problem.message);
      if (username !== '') {
        const key = settings.caseSensitiveUsernames ? username : username.toLowerCase();
        const seen = firstLine.get(key);
        if (seen === undefined) firstLine.set(key, row.line);
        else
          messages.push(
            `"${username}" is already used on line ${seen}; Cognito would refuse the second one (UsernameExistsException).`,
          );
      }
      if (passwordSource.kind === 'generated' && messages.length === 0)
        built.input.password = generatePassword(passwordSource.policy);
      return {
        input: built.input,
        problems: messages,
        passwordGenerated: passwordSource.kind === 'generated',
      };
    };
  };

  const readOptions = (settings: JobSettings) => ({
    delimiter: settings.delimiter,
    encoding: settings.encoding,
  });

  const countRows = async (run: Run, passwordSource: PasswordSource): Promise<void> => {
    const job = run.job;
    const judge = createRowJudge(
      job,
      passwordSource.kind === 'generated' ? { kind: 'shared', password: 'Probe-1234' } : passwordSource,
    );
    let total = 0;
    let valid = 0;
    // In batches: one await per chunk of the file instead of one per row (see readCsvRowBatches).
    for await (const batch of readCsvRowBatches(job.sourcePath, readOptions(job.settings)))
      for (const row of batch) {
        const judged = judge(row);
        if (judged === null) continue;
        total += 1;
        if (judged.problems.length === 0) valid += 1;
      }
    store.setTotals(job.id, total, valid);
    run.totals = { rows: total, valid };
  };

  /** The job's part of its log entries, built once per run (not per row). */
  const jobEntryBase = (job: JobRecord): Omit<NewLogEntry, 'outcome' | 'time' | 'rowNumber' | 'username'> => {
    const c = job.settings.connection;
    return {
      source: 'import',
      jobId: job.id,
      ...(c.profileId !== undefined && { profileId: c.profileId }),
      ...(c.profileName !== undefined && { profileName: c.profileName }),
      region: c.region,
      ...(c.userPoolId !== undefined && { userPoolId: c.userPoolId }),
      clientId: c.clientId,
    };
  };

  /**
   * Group commit of outcomes: each row's outcome and log entry wait here at most
   * OUTCOME_GROUP_WINDOW_MS (or until OUTCOME_GROUP_MAX are waiting) and the group commits in one
   * transaction; only then do its rows count as done (row events, progress, report lines). A crash
   * before the commit loses no promise: those rows are still 'sending' and a resume sends them
   * again, reporting an UsernameExists as possibly created by the interrupted attempt.
   * The worker goes on to its next row meanwhile (its next request is durably reserved too); it
   * waits only when a full group's report lines are still being written (backpressure).
   */
  const createOutcomeCommitter = (run: Run, report: ReportWriter | null) => {
    const jobId = run.job.id;
    let pending: PendingOutcome[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Report lines are written in commit order, one group after another.
    let written: Promise<void> = Promise.resolve();
    let failure: unknown = null;

    /**
     * Commits what waits, together with `reserve` (the next rows to send, marked 'sending' in the
     * same transaction: one commit instead of two). Throws when a reservation could not be stored.
     */
    const flush = (reserve: readonly RowRef[] = []): Promise<void> => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (failure !== null) {
        // Sending is stopping; a reservation still goes through on its own (or throws).
        store.reserve(jobId, reserve);
        return written;
      }
      if (pending.length === 0 && reserve.length === 0) return written;
      const group = pending;
      pending = [];
      let recorded: LogEntry[];
      try {
        recorded = store.recordOutcomes(jobId, group, reserve);
      } catch (error) {
        // Nothing of the group was stored (one transaction): its rows stay 'sending', and the
        // reserved rows are not sent. Stop sending.
        failure = error;
        if (haltOf(run)?.kind !== 'stop') run.halt = { kind: 'stop', reason: internalReason(error) };
        if (reserve.length > 0) throw error;
        return written;
      }
      for (const item of group) run.counts[item.outcome.state] += 1;
      for (const entry of recorded) events.emit('row', jobId, entry);
      emitProgress(jobId);
      if (report !== null && group.length > 0) {
        written = written.then(async () => {
          for (const item of group) await report.write(item.reportRow);
        });
        // A failed write surfaces at drain(); until then it must not be an unhandled rejection.
        written.catch(() => undefined);
      }
      return written;
    };

    return {
      add(item: PendingOutcome): Promise<void> {
        pending.push(item);
        if (pending.length >= OUTCOME_GROUP_MAX) return flush();
        timer ??= setTimeout(() => void flush(), OUTCOME_GROUP_WINDOW_MS);
        return Promise.resolve();
      },
      /** Reserves rows ('sending') in the transaction that commits what waits (see flush). */
      reserve(rows: readonly RowRef[]): void {
        if (rows.length > 0) void flush(rows);
      },
      /** Commits what waits and finishes the report lines; throws the first failure. */
      async drain(): Promise<void> {
        await flush();
        if (failure !== null) throw failure;
      },
    };
  };

  const execute = async (
    run: Run,
    secret: string | null,
    passwordSource: PasswordSource,
    report: ReportWriter | null,
  ): Promise<void> => {
    const job = run.job;
    const settings = job.settings;
    const connection: Connection = { ...settings.connection, secret };
    const client = clientFactory({
      region: settings.connection.region,
      ...(settings.connection.endpoint !== undefined && { endpoint: settings.connection.endpoint }),
      maxAttempts: 1,
      maxSockets: settings.concurrency,
    });
    const committer = createOutcomeCommitter(run, report);
    const jobBase = jobEntryBase(job);
    const finish = (outcome: RowOutcome, entry: NewLogEntry, reportRow: ReportRow): Promise<void> =>
      committer.add({ outcome, entry, reportRow });
    const judge = createRowJudge(job, passwordSource);
    /** Reserved ('sending') rows that were never sent: they go back to "not sent" at the end. */
    const unsent: number[] = [];

    const finishInvalid = (row: CsvRow, judged: Judged): Promise<void> => {
      const message = judged.problems.join(' ');
      const { username } = judged.input;
      return finish(
        {
          index: row.index,
          line: row.line,
          username,
          state: 'invalid',
          errorName: 'InvalidRow',
          errorMessage: message,
        },
        {
          ...jobBase,
          rowNumber: row.line,
          username,
          time: new Date(now()).toISOString(),
          outcome: 'invalid',
          errorName: 'InvalidRow',
          errorMessage: message,
        },
        {
          line: row.line,
          index: row.index,
          username,
          outcome: 'invalid',
          errorName: 'InvalidRow',
          errorMessage: message,
        },
      );
    };

    // Batch reservation: the reader judges the next rows, skips those with an outcome, and marks
    // the valid rest 'sending' in ONE transaction before any of them is handed to a worker.
    // The file is read a chunk at a time (readCsvRowBatches: one await per chunk, not per row);
    // `parsed` holds the chunk's rows not yet judged.
    const rows = readCsvRowBatches(job.sourcePath, readOptions(settings))[Symbol.asyncIterator]();
    let parsed: CsvRow[] = [];
    let parsedHead = 0;
    const batchSize = reserveBatchSize(capOf(settings), settings.concurrency);
    const storedThrough = store.highestIndex(job.id) ?? -1;
    let ready: ReadyRow[] = [];
    let head = 0;
    let exhausted = false;
    let refilling: Promise<void> | null = null;
    const refill = async (): Promise<void> => {
      const batch: Array<{ row: CsvRow; judged: Judged }> = [];
      while (batch.length < batchSize) {
        if (parsedHead >= parsed.length) {
          const next = await rows.next();
          if (next.done === true) {
            exhausted = true;
            break;
          }
          parsed = next.value;
          parsedHead = 0;
          continue;
        }
        const row = parsed[parsedHead++] as CsvRow;
        const judged = judge(row);
        if (judged !== null) batch.push({ row, judged });
      }
      if (batch.length === 0) return;
      let from = Number.POSITIVE_INFINITY;
      let to = Number.NEGATIVE_INFINITY;
      for (const { row } of batch) {
        from = Math.min(from, row.index);
        to = Math.max(to, row.index);
      }
      // Above the highest row stored when the run began, no row has a record (this run stores
      // rows in file order, behind the reader): no query needed (a fresh job never asks).
      const states =
        from > storedThrough ? new Map<number, RowState>() : store.statesBetween(job.id, from, to);
      const reserve: RowRef[] = [];
      const fresh: ReadyRow[] = [];
      for (const { row, judged } of batch) {
        const state = states.get(row.index);
        if (state !== undefined && state !== 'sending') continue;
        if (judged.problems.length > 0) {
          await finishInvalid(row, judged);
          continue;
        }
        const interrupted = state === 'sending';
        if (!interrupted) reserve.push({ index: row.index, line: row.line, username: judged.input.username });
        fresh.push({ row, judged, interrupted });
      }
      committer.reserve(reserve);
      // Appended behind the rows still waiting (the next batch is reserved ahead, see take()).
      ready = head >= ready.length ? fresh : [...ready.slice(head), ...fresh];
      head = 0;
    };
    /** A failed read ahead (the file became unreadable…) fails the next take(). */
    let refillFailure: { error: unknown } | null = null;
    const startRefill = (): Promise<void> =>
      (refilling ??= refill()
        .catch((error: unknown) => {
          refillFailure ??= { error };
          throw error;
        })
        .finally(() => {
          refilling = null;
        }));
    // The next batch is reserved while the workers still have `concurrency` rows to take, so no
    // worker waits for the file or the reservation's commit (one at a time, in file order).
    const refillBelow = settings.concurrency;
    /** The next row without waiting: null at the end (or a halt), undefined when a refill must be awaited. */
    const takeReady = (): ReadyRow | null | undefined => {
      if (refillFailure !== null) throw refillFailure.error;
      if (run.halt !== null) return null;
      const item = ready[head];
      if (item !== undefined) {
        head += 1;
        if (!exhausted && ready.length - head < refillBelow) void startRefill().catch(() => undefined);
        return item;
      }
      return exhausted && refilling === null ? null : undefined;
    };
    const take = async (): Promise<ReadyRow | null> => {
      for (;;) {
        const item = takeReady();
        if (item !== undefined) return item;
        await startRefill();
      }
    };

    const processRow = async ({ row, judged, interrupted }: ReadyRow): Promise<void> => {
      const { input } = judged;
      const base = { ...jobBase, rowNumber: row.line, username: input.username };
      const reportBase = { line: row.line, index: row.index, username: input.username };

      let uncertain = interrupted;
      for (let attempt = 1; ; attempt += 1) {
        const startedAt = run.limiter === null ? now() : await run.limiter.acquire();
        if (run.halt !== null) {
          // Nothing more goes out after a pause, cancel or stop. A row whose earlier attempts
          // may have reached Cognito stays 'sending' so a resume reports a later "exists" truthfully.
          if (!uncertain) unsent.push(row.index);
          return;
        }
        run.starts.push(startedAt);
        const result = await send(client, connection, input);
        if (result.kind === 'ok') {
          run.limiter?.succeeded();
          const delivery = result.codeDeliveryDetails;
          await finish(
            { index: row.index, line: row.line, username: input.username, state: 'created' },
            {
              ...base,
              time: new Date(now()).toISOString(),
              outcome: 'created',
              userSub: result.userSub,
              userConfirmed: result.userConfirmed,
              ...deliveryLogFields(delivery),
            },
            {
              ...reportBase,
              outcome: 'created',
              userSub: result.userSub,
              userConfirmed: result.userConfirmed,
              ...(delivery?.deliveryMedium !== undefined && { deliveryMedium: delivery.deliveryMedium }),
              ...(delivery?.destination !== undefined && { deliveryDestination: delivery.destination }),
              ...(judged.passwordGenerated && { generatedPassword: input.password }),
            },
          );
          return;
        }
        const error = result.error;
        const errorFields = {
          errorName: error.name,
          errorMessage: error.message,
          ...(error.requestId !== undefined && { requestId: error.requestId }),
        };
        const decision = decide(error, attempt, policy, random);
        switch (decision.action) {
          case 'retry':
            if (mayHaveReachedCognito(error)) {
              run.limiter?.slowDown(startedAt, 'failed');
              uncertain = true;
            } else run.limiter?.slowDown(startedAt, 'throttled');
            await sleep(decision.delayMs);
            continue;
          case 'exists': {
            const note = interrupted ? INTERRUPTED_NOTE : uncertain ? UNANSWERED_NOTE : undefined;
            run.limiter?.succeeded();
            await finish(
              { index: row.index, line: row.line, username: input.username, state: 'exists', ...errorFields },
              {
                ...base,
                time: new Date(now()).toISOString(),
                outcome: 'exists',
                ...errorFields,
                ...(note !== undefined && { note }),
              },
              {
                ...reportBase,
                outcome: 'exists',
                errorName: error.name,
                errorMessage: note ?? error.message,
              },
            );
            return;
          }
          case 'fail-row':
          case 'give-up': {
            const outcome = decision.action === 'fail-row' ? 'rejected' : 'error';
            await finish(
              { index: row.index, line: row.line, username: input.username, state: 'failed', ...errorFields },
              {
                ...base,
                time: new Date(now()).toISOString(),
                outcome,
                ...errorFields,
                ...(decision.action === 'give-up' && { note: `Gave up after ${attempt} attempts.` }),
              },
              { ...reportBase, outcome: 'failed', errorName: error.name, errorMessage: error.message },
            );
            return;
          }
          case 'stop-job': {
            const reason: StopReason = { ...decision.reason, rowNumber: row.line };
            // The first stop's reason is the one reported; a pause or cancel gives way to a stop.
            if (haltOf(run)?.kind !== 'stop') run.halt = { kind: 'stop', reason };
            // The row has no outcome: it was refused, and is sent again on resume. Its log entry
            // tells the user why the job stopped.
            if (!uncertain) unsent.push(row.index);
            const entry = store.recordAttempt({
              ...base,
              time: new Date(now()).toISOString(),
              outcome: 'error',
              ...errorFields,
              note: STOPPED_HERE_NOTE,
            });
            events.emit('row', job.id, entry);
            emitProgress(job.id, true);
            return;
          }
        }
      }
    };

    const worker = async (): Promise<void> => {
      try {
        for (;;) {
          // Awaits only when the reader is behind (one await per row less on the common path).
          let item = takeReady();
          if (item === undefined) item = await take();
          if (item === null) break;
          await processRow(item);
        }
      } catch (error) {
        // One worker's failure (the file became unreadable…) stops the others too.
        if (haltOf(run)?.kind !== 'stop') run.halt = { kind: 'stop', reason: internalReason(error) };
        throw error;
      }
    };
    let failure: unknown = null;
    try {
      const ended = await Promise.allSettled(Array.from({ length: settings.concurrency }, worker));
      const rejected = ended.find((result) => result.status === 'rejected');
      if (rejected !== undefined) failure = rejected.reason;
      // A reservation still under way when the workers stopped lands in `ready` first.
      await (refilling as Promise<void> | null)?.catch((error: unknown) => {
        failure ??= error;
      });
    } finally {
      // Pause, stop, cancel and the end all commit what is waiting before the run counts as over.
      await committer.drain().catch((error: unknown) => {
        failure ??= error;
      });
      for (const item of ready.slice(head)) if (!item.interrupted) unsent.push(item.row.index);
      try {
        store.release(job.id, unsent);
      } catch (error) {
        // Harmless to leave them: a row 'sending' but never sent is sent again on resume.
        failure ??= error;
      }
      await rows.return?.(undefined);
      client.destroy();
    }
    if (failure !== null) throw failure;
  };

  const launch = (job: JobRecord, secret: string | null, passwordSource: PasswordSource): void => {
    store.setOwner(job.id, owner);
    store.setState(job.id, 'running', null);
    const cap = capOf(job.settings);
    const stored = store.counts(job.id);
    const run: Run = {
      job,
      halt: null,
      limiter: cap === null ? null : createRateLimiter({ cap, clock, margin: ENGINE_RATE_MARGIN }),
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
        job.totalRows === null || job.validRows === null
          ? null
          : { rows: job.totalRows, valid: job.validRows },
    };
    runs.set(job.id, run);
    run.done = (async () => {
      let report: ReportWriter | null = null;
      try {
        if (run.totals === null) await countRows(run, passwordSource);
        emitProgress(job.id, true);
        const reportPath = job.settings.reportPath;
        if (reportPath !== undefined) {
          const includePasswords = passwordSource.kind === 'generated';
          await dropPartialLastLine(reportPath);
          report = await createReportWriter(reportPath, { includePasswords, append: true });
          await restoreMissingLines({
            jobId: job.id,
            reportPath,
            store,
            entry: (logId) => {
              try {
                return options.log.get(logId);
              } catch {
                return null;
              }
            },
            writer: report,
            includePasswords,
          });
        }
        await execute(run, secret, passwordSource, report);
      } catch (error) {
        run.halt = { kind: 'stop', reason: internalReason(error) };
      } finally {
        if (report !== null) await report.close().catch(() => undefined);
        store.addElapsed(job.id, now() - run.startedAt);
        const halt = haltOf(run);
        const state: JobState =
          halt === null
            ? 'completed'
            : halt.kind === 'pause'
              ? 'paused'
              : halt.kind === 'cancel'
                ? 'cancelled'
                : 'stopped';
        store.setState(job.id, state, halt?.kind === 'stop' ? halt.reason : null);
        store.setOwner(job.id, null);
        runs.delete(job.id);
        emitProgress(job.id, true);
      }
    })();
  };

  const resolvePasswordSource = (job: JobRecord, given: PasswordSource | undefined): PasswordSource => {
    const stored = job.settings.passwordSource;
    if (given !== undefined && given.kind !== stored.kind)
      throw new AppError(
        'PasswordSourceMismatch',
        `This job takes its passwords from ${stored.kind === 'column' ? 'a column' : `a ${stored.kind} password`}; resume it the same way.`,
      );
    if (stored.kind === 'column') return { kind: 'column' };
    if (stored.kind === 'generated') return given ?? { kind: 'generated', policy: stored.policy };
    if (given === undefined)
      throw new AppError(
        'PasswordNeeded',
        'This job gives every row the same password, which is never stored: enter it again to resume.',
      );
    checkPasswordSource(given);
    return given;
  };

  const assertUnchanged = async (job: JobRecord): Promise<void> => {
    let checksum: string;
    try {
      checksum = await fileChecksum(job.sourcePath);
    } catch (error) {
      throw new AppError(
        'SourceMissing',
        `The job's file ${job.sourcePath} cannot be read: ${(error as Error).message}`,
        {
          hint: 'Put the original file back at that path to resume the job.',
          cause: error,
        },
      );
    }
    if (checksum !== job.sourceSha256)
      throw new AppError(
        'SourceChanged',
        `The file ${job.sourcePath} has changed since the job started (its SHA-256 differs).`,
        {
          hint: 'Resuming would match rows by position in a different file. Put the original file back, or start a new import with the new file.',
        },
      );
  };

  const halt = async (jobId: string, how: Halt): Promise<void> => {
    const run = runs.get(jobId);
    if (run === undefined) {
      const job = requireJob(jobId);
      if (how.kind === 'cancel' && job.state !== 'completed' && job.state !== 'cancelled') {
        store.setState(jobId, 'cancelled', null);
        emitProgress(jobId, true);
        return;
      }
      if (how.kind === 'pause') return;
      return;
    }
    if (run.halt === null || (how.kind === 'cancel' && run.halt.kind === 'pause')) run.halt = how;
    emitProgress(jobId, true);
    await run.done;
  };

  return {
    async start(startOptions) {
      const requestedRate = startOptions.rate === undefined ? DEFAULT_RATE : startOptions.rate;
      const concurrency = startOptions.concurrency ?? concurrencyFor(requestedRate);
      checkRate(requestedRate, concurrency);
      const rate = storedRate(requestedRate);
      checkPasswordSource(startOptions.passwordSource);
      const sourceSha256 = await fileChecksum(startOptions.path).catch((error: unknown) => {
        throw new AppError(
          'SourceMissing',
          `The file ${startOptions.path} cannot be read: ${(error as Error).message}`,
          { cause: error },
        );
      });
      const inspection = await inspectCsv(startOptions.path, {
        ...(startOptions.delimiter !== undefined && { delimiter: startOptions.delimiter }),
      });
      const overrides = startOptions.mapping ?? {};
      const mapping = suggestMapping(inspection.headers, overrides, {
        passwordColumnRequired: startOptions.passwordSource.kind === 'column',
      });
      assertMappingUsable(mapping);
      const secret = await startOptions.resolveSecret();
      const source = startOptions.passwordSource;
      const settings: JobSettings = {
        connection: startOptions.connection,
        overrides,
        mapping,
        delimiter: inspection.delimiter,
        encoding: inspection.encoding,
        passwordSource:
          source.kind === 'generated' ? { kind: 'generated', policy: source.policy } : { kind: source.kind },
        rate,
        concurrency,
        ...(startOptions.reportPath !== undefined && { reportPath: startOptions.reportPath }),
        caseSensitiveUsernames: startOptions.caseSensitiveUsernames ?? false,
      };
      const job = store.createJob({
        id: randomUUID(),
        sourcePath: startOptions.path,
        sourceSha256,
        settings,
        owner,
      });
      launch(job, secret, source);
      return job.id;
    },

    pause: (jobId) => halt(jobId, { kind: 'pause' }),
    cancel: (jobId) => halt(jobId, { kind: 'cancel' }),

    async resume(jobId, resumeOptions) {
      if (runs.has(jobId)) throw new AppError('JobRunning', 'This job is already running.');
      let job = requireJob(jobId);
      if (job.state === 'running' && job.owner !== null && job.owner !== owner && isOwnerAlive(job.owner))
        throw new AppError('JobRunning', 'This job is running in another window or process.');
      if (job.state === 'completed')
        throw new AppError('JobFinished', 'This job has finished: every row has an outcome.');
      if (job.state === 'cancelled')
        throw new AppError('JobCancelled', 'This job was cancelled; start a new import instead.');
      const passwordSource = resolvePasswordSource(job, resumeOptions.passwordSource);
      await assertUnchanged(job);
      const secret = await resumeOptions.resolveSecret();
      job = requireJob(jobId);
      launch(job, secret, passwordSource);
    },

    async wait(jobId) {
      requireJob(jobId);
      const run = runs.get(jobId);
      if (run !== undefined) await run.done;
      return summaryOf(jobId);
    },

    onProgress(listener) {
      events.on('progress', listener);
      return () => events.off('progress', listener);
    },
    onRow(listener) {
      events.on('row', listener);
      return () => events.off('row', listener);
    },
    progress: progressOf,
    listJobs: () => store.listJobs(),
    getJob: requireJob,

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
      const parent = requireJob(jobId);
      if (runs.has(jobId))
        throw new AppError('JobRunning', 'Pause or wait for this job before retrying its failed rows.');
      const failed = store.rowsInState(jobId, 'failed');
      if (failed.length === 0) throw new AppError('NoFailedRows', 'This job has no failed rows to retry.');
      const passwordSource = resolvePasswordSource(parent, retryOptions.passwordSource);
      // The failed rows are re-read from the source by index (their inputs are not stored, and a
      // password must not be), so the file must be the one the job read.
      await assertUnchanged(parent);
      const requestedRate = retryOptions.rate === undefined ? capOf(parent.settings) : retryOptions.rate;
      const concurrency = retryOptions.concurrency ?? parent.settings.concurrency;
      checkRate(requestedRate, concurrency);
      const rate = storedRate(requestedRate);
      const settings: JobSettings = { ...parent.settings, rate, concurrency };
      delete settings.reportPath;
      if (retryOptions.reportPath !== undefined) settings.reportPath = retryOptions.reportPath;
      const secret = await retryOptions.resolveSecret();
      const job = store.createJob({
        id: randomUUID(),
        sourcePath: parent.sourcePath,
        sourceSha256: parent.sourceSha256,
        settings,
        parentJobId: parent.id,
        selection: failed.map((row) => row.index),
        owner,
      });
      launch(job, secret, passwordSource);
      return job.id;
    },

    async close() {
      await Promise.all([...runs.keys()].map((jobId) => halt(jobId, { kind: 'pause' })));
      for (const timer of pendingEmit.values()) clearTimeout(timer);
      pendingEmit.clear();
    },
  };
}
