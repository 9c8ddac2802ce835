/**
 * The import engine's public shapes: what a start, a resume and a retry take, what a run reports,
 * and the engine's own interface and collaborators (import-engine.ts implements it).
 */
import type { ImportProgressView, LogEntry } from '@shared/contract';
import type { ClientFactory } from '../../cognito/client';
import type { sendSignUp } from '../../cognito/sign-up-call';
import type { LogStore } from '../../log/log-store';
import type { Database } from '../../store/database';
import type { MappingOverrides } from '../column-mapping';
import type { CsvDelimiter } from '../csv-source';
import type { ImportPlan } from '../import-plan';
import type { ConnectionMetadata, JobRecord } from '../job-store';
import type { OwnerIdentity } from '../job-lease';
import type { RetryPolicy, StopReason } from '../retry-policy';
import type { PasswordSource } from '../row-builder';
import type { FreeSpace } from './disk-space';
import type { QuotaBudget } from './quota-share';
import type { Scheduler } from './timing';

export type SecretResolver = () => Promise<string | null>;

/** How a job sends, whatever its file: where, with which secret, how fast. */
interface SendOptions {
  connection: ConnectionMetadata;
  /** Called once at start (and at each resume): the secret is never stored with the job. */
  resolveSecret: SecretResolver;
  /** Requests per second (cap); default 10; null = no cap (local endpoints only, see UNCAPPED_RATE). */
  rate?: number | null;
  /**
   * Parallel requests; by default they follow the observed latency (enough in flight for the cap,
   * up to MAX_CONCURRENCY; engine/concurrency-controller.ts), starting at concurrencyFor(rate).
   * A number given is a hard limit, even when it caps the rate lower.
   */
  concurrency?: number;
  /** Results CSV, appended to on resume; holds generated passwords (mode 0600) when they are generated. */
  reportPath?: string;
  caseSensitiveUsernames?: boolean;
}

/** The file to send: a plan prepared already (the dry run's), or what to prepare one from. */
export type StartOptions = SendOptions &
  (
    | { plan: ImportPlan }
    | {
        path: string;
        /** COLUMN → target overrides on top of the suggested mapping. */
        mapping?: MappingOverrides;
        delimiter?: CsvDelimiter;
        passwordSource: PasswordSource;
      }
  );

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

type SummaryFigures = 'state' | 'rows' | 'valid' | 'created' | 'exists' | 'invalid' | 'failed' | 'elapsedMs';

/** A run's end as the CLI prints it: the progress figures, and whether and why the job stopped. */
export type ImportSummary = Pick<ImportProgressView, SummaryFigures> & {
  jobId: string;
  /** Rows without an outcome (a paused, stopped, cancelled or interrupted job). */
  remaining: number;
  stopped: boolean;
  stopReason: StopReason | null;
};

export interface FailedRow {
  index: number;
  line: number;
  username: string;
  errorName: string | null;
  errorMessage: string | null;
}

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
  /** The timers group commits and progress updates wait on; the same time as `now`. */
  scheduler?: Scheduler;
  random?: () => number;
  retryPolicy?: RetryPolicy;
  progressIntervalMs?: number;
  /** The process that claims jobs (job-lease.ts); default this one. Tests stand in for others. */
  identity?: OwnerIdentity;
  /** The timers lease renewals run on (default `scheduler`; tests: timers that never move time). */
  leaseTimers?: Scheduler;
  /**
   * The sign-up budget jobs on one account share (default: one over `db`, on `now`, so every
   * process on the data folder shares it); null: each job paces alone (tests of one job's pacing).
   */
  quotaBudget?: QuotaBudget | null;
  /** The folder holding the database: a run does not start when its disk is nearly full. */
  dataFolder?: string;
  /** Free bytes on a folder's disk (default fs.statfs); tests give a full disk. */
  freeSpace?: FreeSpace;
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
  onProgress(listener: (jobId: string, progress: ImportProgressView) => void): () => void;
  onRow(listener: (jobId: string, entry: LogEntry) => void): () => void;
  progress(jobId: string): ImportProgressView;
  listJobs(): JobRecord[];
  getJob(jobId: string): JobRecord;
  failedRows(jobId: string): FailedRow[];
  /** A new job that sends the given job's failed rows again, re-read from its source file. */
  retryFailed(jobId: string, options: RetryFailedOptions): Promise<string>;
  /** Pauses every running job (app quit): they resume later from where they stopped. */
  close(): Promise<void>;
}
