/**
 * The one way into imports, for the app's channels and the CLI alike: it resolves a profile (or
 * takes a direct connection with its secret) to a connection — the secret is read once per start
 * and resume, never stored with the job — places reports under the data folder, and forwards the
 * engine's progress as events. Also the QA-seeding channels, which start imports.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EventName, EventPayload, JobView, ParsedRequestOf, ResponseOf } from '@shared/contract';
import { AppError } from '../errors';
import type { DialogPort } from '../dialogs/dialog-port';
import type { FileHandles } from '../files/file-handles';
import { regularFileSize } from '../files/regular-file';
import type { SecretStore } from '../keychain/secret-store';
import type { LogStore } from '../log/log-store';
import type { ProfileStore } from '../profiles/profile-store';
import type { ClientFactory } from '../cognito/client';
import type { Connection } from '../cognito/sign-up-call';
import { connectionFor } from '../signup/sign-up-service';
import type { Database } from '../store/database';
import { previewSeed, writeSeedFile } from '../seed/seed-file';
import { suggestMapping } from './column-mapping';
import { inspectCsv } from './csv-source';
import { dryRun } from './dry-run';
import {
  createImportEngine,
  type ImportEngine,
  type ImportProgress,
  type ImportSummary,
  type JobRecord,
} from './import-engine';
import { copyReport } from './report-file';
import type { PasswordSource } from './row-builder';

export type Push = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

type ImportChannel =
  | 'import:inspect'
  | 'import:dryRun'
  | 'import:start'
  | 'import:pause'
  | 'import:resume'
  | 'import:cancel'
  | 'import:jobs'
  | 'import:saveReport'
  | 'import:retryFailed'
  | 'seed:preview'
  | 'seed:start';

export type ImportHandlers = {
  [C in ImportChannel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
};

export interface ImportServiceDeps {
  home: string;
  db: Database;
  log: LogStore;
  profiles: ProfileStore;
  secrets: SecretStore;
  dialogs: DialogPort;
  /** The files the user chose: requests name them by handle, never by path. */
  files: FileHandles;
  push: Push;
  clientFactory?: ClientFactory;
}

/** Where a job sends: a saved profile (secret from the keychain), or a direct connection with its secret. */
export type ImportTarget = { profileId: string } | { connection: Connection };

export interface ImportStartRequest {
  target: ImportTarget;
  path: string;
  passwordSource: PasswordSource;
  rate: number;
  /** Absent: parallelism follows the observed latency; a number is a hard limit. */
  concurrency?: number | undefined;
  delimiter?: ParsedRequestOf<'import:start'>['delimiter'];
  overrides?: ParsedRequestOf<'import:start'>['overrides'];
}

export interface ImportResumeRequest {
  /** The shared password again (never stored); ignored for other kinds of job. */
  password?: string;
  /** A job started with a direct connection: its secret again (null: the app client has none). */
  secret?: string | null;
}

export interface ImportService {
  handlers: ImportHandlers;
  /** Stores the job and starts sending in the background; returns its id. */
  start(request: ImportStartRequest): Promise<string>;
  resume(jobId: string, request: ImportResumeRequest): Promise<void>;
  pause(jobId: string): Promise<void>;
  /** Resolves when the job's current run ends. */
  wait(jobId: string): Promise<ImportSummary>;
  progress(jobId: string): ImportProgress;
  getJob(jobId: string): JobRecord;
  /** The engine under the service, for tests that observe a job directly. */
  engine: ImportEngine;
  close(): Promise<void>;
}

function stamp(): string {
  return `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

/** Where a job's results report goes: `<home>/reports/<time>-<random>.csv` (the writer makes the folder). */
export function newReportPath(home: string): string {
  return join(home, 'reports', `${stamp()}.csv`);
}

export function createImportService(deps: ImportServiceDeps): ImportService {
  const { home, profiles, secrets, dialogs, files } = deps;
  const engine = createImportEngine({
    db: deps.db,
    log: deps.log,
    dataFolder: home,
    ...(deps.clientFactory !== undefined && { clientFactory: deps.clientFactory }),
  });
  const reportPath = (): string => newReportPath(home);

  const unsubscribe = [
    engine.onProgress((jobId, progress) => deps.push('import:progress', { jobId, progress })),
    engine.onRow((jobId, entry) => deps.push('import:row', { jobId, entry })),
  ];

  /** A resume's secret, read once when the job restarts: a profile's secret can change between runs. */
  function resumeSecret(job: JobRecord, given: string | null | undefined): () => Promise<string | null> {
    const profileId = job.settings.connection.profileId;
    if (profileId === undefined) {
      if (given !== undefined) return () => Promise.resolve(given);
      return () =>
        Promise.reject(
          new AppError(
            'ProfileNotFound',
            `Job ${job.id} was started without a profile; resume it from the CLI.`,
          ),
        );
    }
    return async () => (await connectionFor(await profiles.get(profileId), secrets)).secret;
  }

  function view(job: JobRecord): JobView {
    const progress = engine.progress(job.id);
    return {
      id: job.id,
      createdAt: job.createdAt,
      state: job.state,
      fileName: basename(job.sourcePath),
      ...(job.settings.connection.profileName !== undefined && {
        profileName: job.settings.connection.profileName,
      }),
      passwordKind: job.settings.passwordSource.kind,
      rate: job.settings.rate,
      concurrency: job.settings.concurrency,
      parentJobId: job.parentJobId,
      progress: {
        ...progress,
        ...(progress.stopReason === undefined && job.stopReason !== null && { stopReason: job.stopReason }),
      },
    };
  }

  function passwordFor(jobId: string, password: string | undefined): PasswordSource | undefined {
    const kind = engine.getJob(jobId).settings.passwordSource.kind;
    if (kind !== 'shared') return undefined;
    if (password === undefined)
      throw new AppError(
        'PasswordNeeded',
        'This job gives every row the same password, which is never stored.',
        {
          hint: 'Enter that password again to go on.',
          fields: { password: 'Enter the password every row gets.' },
        },
      );
    return { kind: 'shared', password };
  }

  async function start(request: ImportStartRequest): Promise<string> {
    const { target } = request;
    // One keychain read per start: the connection carries the secret the job sends with.
    const { secret, ...connection } =
      'profileId' in target
        ? await connectionFor(await profiles.get(target.profileId), secrets)
        : target.connection;
    return engine.start({
      path: request.path,
      connection,
      resolveSecret: () => Promise.resolve(secret),
      ...(request.overrides !== undefined && { mapping: request.overrides }),
      ...(request.delimiter !== undefined && { delimiter: request.delimiter }),
      passwordSource: request.passwordSource,
      rate: request.rate,
      ...(request.concurrency !== undefined && { concurrency: request.concurrency }),
      reportPath: reportPath(),
    });
  }

  async function resume(jobId: string, request: ImportResumeRequest): Promise<void> {
    const job = engine.getJob(jobId);
    const passwordSource = passwordFor(jobId, request.password);
    await engine.resume(jobId, {
      resolveSecret: resumeSecret(job, request.secret),
      ...(passwordSource !== undefined && { passwordSource }),
    });
  }

  const startJob = async (
    profileId: string,
    path: string,
    settings: Pick<
      ParsedRequestOf<'import:start'>,
      'delimiter' | 'overrides' | 'passwordSource' | 'rate' | 'concurrency'
    >,
  ): Promise<{ jobId: string }> => ({ jobId: await start({ target: { profileId }, path, ...settings }) });

  const handlers: ImportHandlers = {
    'import:inspect': async ({ handle, delimiter, overrides }) => {
      const path = files.resolve(handle);
      // Refuses a pipe or a device before the readers open it (they check again on their own descriptor).
      const sizeBytes = await regularFileSize(path);
      const inspection = await inspectCsv(path, {
        ...(delimiter !== undefined && { delimiter }),
        countRows: true,
      });
      const mapping = suggestMapping(inspection.headers, overrides ?? {});
      return {
        handle,
        fileName: basename(path),
        sizeBytes,
        encoding: inspection.encoding,
        delimiter: inspection.delimiter,
        headers: inspection.headers,
        rowCount: inspection.rowCount ?? 0,
        preview: inspection.preview,
        columns: mapping.columns.map((c) => ({
          index: c.index,
          header: c.header,
          target: c.target,
          known: c.known,
          ...(c.note !== undefined && { note: c.note }),
        })),
        unknown: mapping.unknown,
        missingRequired: mapping.missingRequired,
      };
    },
    'import:dryRun': async ({ handle, delimiter, overrides, passwordSource }) => {
      const result = await dryRun(files.resolve(handle), {
        passwords: passwordSource,
        ...(delimiter !== undefined && { delimiter }),
        ...(overrides !== undefined && { overrides }),
      });
      return {
        rows: result.rows,
        valid: result.valid,
        invalid: result.invalid,
        problems: result.problems.map((p) => ({
          line: p.line,
          index: p.index,
          column: p.column,
          kind: p.kind,
          message: p.message,
          ...(p.suggestion !== undefined && { suggestion: p.suggestion }),
        })),
        problemCounts: { ...result.problemCounts },
        problemsTruncated: result.problemsTruncated,
      };
    },
    'import:start': ({ profileId, handle, ...settings }) =>
      startJob(profileId, files.resolve(handle), settings),
    'import:pause': async ({ jobId }) => {
      await engine.pause(jobId);
      return view(engine.getJob(jobId));
    },
    'import:resume': async ({ jobId, password }) => {
      await resume(jobId, { ...(password !== undefined && { password }) });
      return view(engine.getJob(jobId));
    },
    'import:cancel': async ({ jobId }) => {
      await engine.cancel(jobId);
      return view(engine.getJob(jobId));
    },
    'import:jobs': () => Promise.resolve(engine.listJobs().map(view)),
    'import:saveReport': async ({ jobId }) => {
      const source = engine.getJob(jobId).settings.reportPath;
      if (source === undefined || !(await stat(source).catch(() => null)))
        throw new AppError('NoReport', 'This job has no results report yet: no row has finished.');
      const target = await dialogs.saveFile({
        title: 'Save the results report',
        defaultName: `signup-desk-results-${jobId.slice(0, 8)}.csv`,
        filters: [{ name: 'CSV files', extensions: ['csv'] }],
      });
      if (target === null) return null;
      await copyReport(source, target);
      return { path: target };
    },
    'import:retryFailed': async ({ jobId, password }) => {
      const job = engine.getJob(jobId);
      const passwordSource = passwordFor(jobId, password);
      const newJobId = await engine.retryFailed(jobId, {
        resolveSecret: resumeSecret(job, undefined),
        ...(passwordSource !== undefined && { passwordSource }),
        reportPath: reportPath(),
      });
      return { jobId: newJobId };
    },
    'seed:preview': (pattern) => Promise.resolve(previewSeed(pattern)),
    'seed:start': async ({ profileId, pattern, passwordSource, rate, concurrency }) => {
      const folder = join(home, 'seeds');
      const path = join(folder, `seed-${stamp()}.csv`);
      await writeSeedFile(pattern, path, folder);
      return startJob(profileId, path, { passwordSource, rate, concurrency });
    },
  };

  return {
    handlers,
    start,
    resume,
    pause: (jobId) => engine.pause(jobId),
    wait: (jobId) => engine.wait(jobId),
    progress: (jobId) => engine.progress(jobId),
    getJob: (jobId) => engine.getJob(jobId),
    engine,
    async close() {
      for (const stop of unsubscribe) stop();
      await engine.close();
    },
  };
}
