/**
 * `signup-desk import FILE.csv`: a bulk import through the same import service, job store and log
 * the app uses (services.imports), so a job started here can be listed and resumed in the app and
 * the other way round. Also `--dry-run` (check every row, send nothing) and `--resume JOB_ID`.
 * Passwords come from a column, an environment variable, stdin or a generator — never a flag —
 * and generated passwords are written only to the job's report (mode 0600).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MAX_USER_CREATION_QUOTA, productionHeadroomWarning, userCreationQuota } from '@shared/quota-rules';
import { toErrorShape } from '../errors';
import { dryRun, type DryRunResult } from '../import/dry-run';
import { DEFAULT_RATE, MAX_CONCURRENCY, type ImportSummary, type JobRecord } from '../import/import-engine';
import type { ImportStartRequest } from '../import/import-service';
import { copyReport } from '../import/report-file';
import { DEFAULT_PASSWORD_POLICY } from '../import/password-generator';
import { parseCount, parseOptions } from './args';
import type { CliContext, CliIo, CliServices, Command } from './command';
import {
  CONNECTION_USAGE,
  DIRECT_FLAGS,
  parseConnectionFlags,
  secretFromFlags,
  type ConnectionChoice,
} from './connection-flags';
import { EXIT, exitCodeForError, type ExitCode } from './exit-codes';
import { findProfile } from './find-profile';
import {
  OPTIONS,
  parseDelimiter,
  parseMappings,
  passwordSourceFrom,
  requireFile,
  type Values,
} from './import-flags';
import { dryRunLines, exitCodeForSummary, resumeHint, summaryJson, summaryLines } from './import-output';
import { trapInterrupts } from './interrupts';
import { errorLines, writeJson, writeLines } from './output';
import { startProgressOutput } from './progress-output';
import { UsageError } from './usage-error';

/** The dry run lists this many problems with their details; counts per kind stay exact beyond it. */
const DRY_RUN_MAX_PROBLEMS = 100_000;

const usage = `Usage:
  signup-desk import FILE.csv (--profile NAME | --client-id ID --region R …) [options]
  signup-desk import FILE.csv --dry-run [options]
  signup-desk import --resume JOB_ID [--client-secret-env VAR] [--password-env VAR | --password-stdin]

Signs up every row of a CSV file through Cognito's SignUp API at a capped rate, recording each
row's outcome (and its log entry) before counting it done, so an interrupted job resumes exactly
where it stopped. The app shows the same jobs (\`signup-desk jobs\`).

Connection (one of):
${CONNECTION_USAGE}
Sending:
  --rate N                    requests per second, 1 to the profile's sign-up quota (AWS default 50; default
                              rate ${DEFAULT_RATE}); SignUp shares the account's UserCreation quota with production
                              traffic, so keep well under it. Jobs on one account and region share the quota:
                              the app's and other commands' too (the progress line says "2 jobs share 50/s")
  --concurrency N             requests in flight at once, 1–${MAX_CONCURRENCY}, a hard limit (default: enough
                              for the rate at the latency observed, up to ${MAX_CONCURRENCY})
File:
  --delimiter C               , or ; or tab (default: detected)
  --map COLUMN=ATTRIBUTE      map a column to username, password, ignore, an attribute or custom:NAME
                              (repeatable; columns named like Cognito's fields are mapped by themselves)
Passwords (at most one; with none, each row's password comes from its password column):
  --password-env VAR          every row gets the password in environment variable VAR
  --password-stdin            every row gets the password read from stdin
  --no-password               no password at all: passwordless users (the pool must offer passwordless sign-in)
  --generate-passwords        a random password per row, written ONLY to the report (mode 0600);
                              --password-min-length N (6–99, default ${DEFAULT_PASSWORD_POLICY.minLength}) to match the pool's policy
Other:
  --dry-run                   check every row and send nothing: prints each problem with its line,
                              column, message and suggested fix, the counts per kind and how many
                              rows would be sent; needs no connection
  --report FILE               also copy the results report there at the end (mode 0600). Reports are
                              always written to <data folder>/reports/
  --resume JOB_ID             continue a paused, stopped or interrupted job: only rows without an
                              outcome are sent. The file must be unchanged. A job started with
                              --client-id needs --client-secret-env again; a job with a shared password
                              needs --password-env or --password-stdin again (neither is ever stored)
  --json                      print one JSON object on stdout at the end (nothing else on stdout):
                              {"jobId", "state", "rows", "valid", "created", "exists", "invalid",
                              "failed", "remaining", "stopped", "stopReason", "elapsedMs", "report"};
                              with --dry-run {"dryRun": true, "rows", "valid", "invalid", "wouldSend",
                              "problemCounts", "problems", "problemsTruncated"}; on an error {"error"}

Output: without --json the job id is the first line on stdout (\`id=$(… | head -n1)\`), the summary
follows; with --json the id is only in the final object (and in the "started" line on stderr).
Progress goes to stderr: a bar on a terminal, a line every 2 s otherwise.
Ctrl-C (or SIGTERM) pauses: requests in flight finish and are recorded, then it exits with 130 and
says how to resume. A second Ctrl-C quits at once, like a crash — the job can still be resumed (a row
in flight is sent again and reported as "exists — possibly created by the interrupted attempt").

Exit codes: 0 every valid row was created or already existed (invalid rows are reported, not sent);
1 rows failed (see the report / \`signup-desk log\`); 2 usage, file or mapping error (nothing sent);
3 the job stopped on a quota or configuration error (LimitExceeded, bad secret, …) or the profile or
keychain is unusable; 130 paused by Ctrl-C/SIGTERM.
Dry run: 0 no problems; 1 some rows are invalid (they would be skipped); 2 the file cannot be used.`;

/** An error before or instead of a job: one JSON object or readable lines; exit 2 or 3. */
function reportFailure(error: unknown, io: CliIo, json: boolean): ExitCode {
  if (error instanceof UsageError) throw error; // run-cli prints it with the usage hint
  const shape = toErrorShape(error);
  if (json)
    writeJson(io.stdout, {
      error: {
        name: shape.name,
        message: shape.message,
        ...(shape.hint !== undefined && { hint: shape.hint }),
        ...(shape.fields !== undefined && { fields: shape.fields }),
      },
    });
  else {
    const lines = errorLines(shape);
    for (const [field, message] of Object.entries(shape.fields ?? {}))
      lines.splice(1, 0, `  ${field}: ${message}`);
    writeLines(io.stderr, lines);
  }
  // Our names map through the one exit-code table (profile or keychain problems: 3); anything else
  // before a job exists is about the file or the command line.
  return exitCodeForError(shape, EXIT.usage);
}

async function runDryRun(values: Values, file: string, io: CliIo): Promise<ExitCode> {
  const json = values.json === true;
  let result: DryRunResult;
  try {
    const delimiter = parseDelimiter(values.delimiter);
    const overrides = parseMappings(values.map);
    const path = await requireFile(file);
    const passwords = await passwordSourceFrom(values, io);
    result = await dryRun(path, {
      passwords,
      maxProblems: DRY_RUN_MAX_PROBLEMS,
      ...(delimiter !== undefined && { delimiter }),
      ...(overrides !== undefined && { overrides }),
    });
  } catch (error) {
    return reportFailure(error, io, json);
  }
  if (json)
    writeJson(io.stdout, {
      dryRun: true,
      rows: result.rows,
      valid: result.valid,
      invalid: result.invalid,
      wouldSend: result.valid,
      problemCounts: result.problemCounts,
      problems: result.problems,
      problemsTruncated: result.problemsTruncated,
    });
  else writeLines(result.invalid > 0 ? io.stderr : io.stdout, dryRunLines(result));
  return result.invalid > 0 ? EXIT.refused : EXIT.ok;
}

type Imports = CliServices['imports'];

/** Follows a running job to its end: progress on stderr, Ctrl-C pauses, then the summary. */
async function follow(imports: Imports, jobId: string, values: Values, io: CliIo): Promise<ExitCode> {
  const progress = startProgressOutput({ stream: io.stderr, poll: () => imports.progress(jobId) });
  const trap = trapInterrupts(io.stderr, () => imports.pause(jobId));
  let summary;
  try {
    summary = await imports.wait(jobId);
  } catch (error) {
    // The store failed under the job (a full disk): still one answer, JSON with --json.
    return reportFailure(error, io, values.json === true);
  } finally {
    progress.stop();
    trap.dispose();
  }
  return finish(imports.getJob(jobId), summary, values, io);
}

async function finish(job: JobRecord, summary: ImportSummary, values: Values, io: CliIo): Promise<ExitCode> {
  let report: string | null = null;
  const source = job.settings.reportPath;
  if (source !== undefined && (await stat(source).catch(() => null)) !== null) {
    report = source;
    if (values.report !== undefined) {
      const target = resolve(values.report);
      try {
        await copyReport(source, target);
        report = target;
      } catch (error) {
        io.stderr.write(
          `Could not copy the report to ${target}: ${toErrorShape(error).message}. It is at ${source}.\n`,
        );
      }
    }
  }
  if (values.json === true) writeJson(io.stdout, summaryJson(summary, report));
  else writeLines(io.stdout, summaryLines(summary, report));
  return exitCodeForSummary(summary);
}

function announce(jobId: string, verb: string, values: Values, io: CliIo): void {
  // The id first, on its own line, so a script can keep it even if the import is interrupted.
  if (values.json !== true) io.stdout.write(`${jobId}\n`);
  io.stderr.write(`${verb} job ${jobId}. Ctrl-C pauses it; continue later with: ${resumeHint(jobId)}\n`);
}

/** Where the job goes, and that account's sign-up quota (a direct connection: AWS's default). */
async function targetOf(
  choice: ConnectionChoice,
  services: CliServices,
): Promise<{ target: ImportStartRequest['target']; quota: number }> {
  if (choice.kind === 'direct')
    return { target: { connection: choice.connection }, quota: userCreationQuota({}) };
  const profile = await findProfile(services, choice.name);
  return { target: { profileId: profile.id }, quota: userCreationQuota(profile) };
}

async function runStart(values: Values, file: string, context: CliContext): Promise<ExitCode> {
  const { io } = context;
  const json = values.json === true;
  const choice = parseConnectionFlags(values, io);
  // Bounded here by the highest quota a profile may name; the engine holds it to the profile's own.
  const rate = parseCount('rate', values.rate, DEFAULT_RATE, MAX_USER_CREATION_QUOTA);
  // Absent: parallelism follows the observed latency (only a number given is a hard limit).
  const concurrency =
    values.concurrency === undefined
      ? undefined
      : parseCount('concurrency', values.concurrency, 1, MAX_CONCURRENCY);
  const delimiter = parseDelimiter(values.delimiter);
  const overrides = parseMappings(values.map);
  const passwordSource = await passwordSourceFrom(values, io);

  let imports: Imports;
  let jobId: string;
  try {
    const path = await requireFile(file);
    const services = await context.services();
    imports = services.imports;
    // The app's own way in: a profile's secret is read from the keychain at start and at every
    // resume, a direct connection's comes from the environment; the report goes to <home>/reports/.
    const { target, quota } = await targetOf(choice, services);
    const warning = productionHeadroomWarning(rate, quota);
    if (warning !== null) io.stderr.write(`Warning: ${warning}\n`);
    jobId = await imports.start({
      target,
      path,
      passwordSource,
      rate,
      ...(concurrency !== undefined && { concurrency }),
      ...(delimiter !== undefined && { delimiter }),
      ...(overrides !== undefined && { overrides }),
    });
  } catch (error) {
    return reportFailure(error, io, json);
  }
  announce(jobId, 'Started', values, io);
  return follow(imports, jobId, values, io);
}

const START_ONLY = [
  'rate',
  'concurrency',
  'delimiter',
  'map',
  'generate-passwords',
  'password-min-length',
  'no-password',
] as const;

async function runResume(values: Values, jobId: string, context: CliContext): Promise<ExitCode> {
  const { io } = context;
  const json = values.json === true;
  const startOnly = START_ONLY.filter((option) => values[option] !== undefined);
  if (startOnly.length > 0)
    throw new UsageError(
      `--${startOnly[0]} cannot be changed on --resume: the job keeps the settings it was started with.`,
    );
  if (values['dry-run'] === true)
    throw new UsageError('--dry-run checks a file; it does not go with --resume.');
  if (values['password-env'] !== undefined && values['password-stdin'] === true)
    throw new UsageError('Use only one of --password-env, --password-stdin.');

  let services: CliServices;
  let imports: Imports;
  let job: JobRecord;
  try {
    services = await context.services();
    imports = services.imports;
    job = imports.getJob(jobId);
  } catch (error) {
    return reportFailure(error, io, json);
  }
  jobId = job.id;
  if (job.state === 'completed') {
    io.stderr.write(`Job ${jobId} has already finished: every row has an outcome. Nothing to send.\n`);
    return finish(job, await imports.wait(jobId), values, io);
  }

  try {
    await checkResumeConnection(values, job, services);
    const kind = job.settings.passwordSource.kind;
    const sharedGiven = values['password-env'] !== undefined || values['password-stdin'] === true;
    if (kind === 'shared' && !sharedGiven)
      throw new UsageError(
        'This job gives every row the same password, which is never stored: give it again with --password-env VAR or --password-stdin.',
      );
    if (kind !== 'shared' && sharedGiven)
      throw new UsageError(
        `This job ${kind === 'none' ? 'sends no passwords' : `takes its passwords from ${kind === 'column' ? 'a column' : 'the generator'}`}; resume it without a password flag.`,
      );
    const password = kind === 'shared' ? await passwordSourceFrom(values, io) : undefined;
    const shared = password?.kind === 'shared' ? password.password : undefined;
    let secret: string | null | undefined;
    if (job.settings.connection.profileId === undefined) {
      // A direct connection's secret is never stored: it comes from the environment again.
      secret = secretFromFlags(values, io);
      if (secret === null)
        io.stderr.write(
          'Resuming without a client secret (no --client-secret-env): fine for an app client without one.\n',
        );
    }
    // A profile's secret comes from the keychain again.
    await imports.resume(jobId, {
      ...(shared !== undefined && { password: shared }),
      ...(secret !== undefined && { secret }),
    });
  } catch (error) {
    return reportFailure(error, io, json);
  }
  announce(jobId, 'Resumed', values, io);
  return follow(imports, jobId, values, io);
}

/** On --resume the connection is the job's; flags given anyway must agree with it. */
async function checkResumeConnection(values: Values, job: JobRecord, services: CliServices): Promise<void> {
  const stored = job.settings.connection;
  if (stored.profileId !== undefined) {
    const direct = DIRECT_FLAGS.filter((option) => values[option] !== undefined);
    if (direct.length > 0)
      throw new UsageError(
        `This job uses profile "${stored.profileName ?? stored.profileId}"; --${direct[0]} does not apply to it.`,
      );
    if (values.profile !== undefined && (await findProfile(services, values.profile)).id !== stored.profileId)
      throw new UsageError(`This job was started with profile "${stored.profileName ?? stored.profileId}".`);
    return;
  }
  if (values.profile !== undefined)
    throw new UsageError(
      'This job was started without a profile (--client-id …); resume it with --client-secret-env VAR if its app client has a secret.',
    );
  const mismatch = (
    [
      ['client-id', stored.clientId],
      ['region', stored.region],
      ['endpoint', stored.endpoint],
      ['user-pool-id', stored.userPoolId],
    ] as const
  ).find(([option, value]) => values[option] !== undefined && values[option] !== value);
  if (mismatch !== undefined)
    throw new UsageError(`--${mismatch[0]} differs from the one this job was started with.`);
}

async function run(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseOptions({ args, options: OPTIONS, allowPositionals: true });
  if (positionals.length > 1)
    throw new UsageError('Give one CSV file (quote its path if it contains spaces).');
  const file = positionals[0];
  if (values.resume !== undefined) {
    if (file !== undefined)
      throw new UsageError('--resume continues a job with the file it was started with: give no FILE.');
    return runResume(values, values.resume, context);
  }
  if (file === undefined) throw new UsageError('Give the CSV file to import (or --resume JOB_ID).');
  if (values['dry-run'] === true) return runDryRun(values, file, context.io);
  return runStart(values, file, context);
}

export const importCommand: Command = {
  name: 'import',
  summary: 'bulk sign-up from a CSV file (--dry-run, --resume JOB_ID)',
  usage,
  run,
};
