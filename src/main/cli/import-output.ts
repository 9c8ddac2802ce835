/**
 * What `signup-desk import` and `signup-desk jobs` print: the summary object and lines, the dry
 * run's problem list, the job table, and the exit code a summary means. Counts are printed as they
 * are — never "imported successfully" when rows failed (a pain point users of bulk tools report).
 * Nothing here receives a password or a client secret.
 */
import type { JobView, RowProblemView } from '@shared/contract';
import type { ImportSummary, StopReason } from '../import/import-engine';
import { EXIT, type ExitCode } from './exit-codes';
import { table } from './output';

/**
 * The documented `import --json` object (see the command's --help): the summary's figures
 * ("remaining": rows with no outcome yet, sent by `--resume`), and "report": where the results
 * report is (the --report copy when given), null when none was written.
 */
export type ImportSummaryJson = ImportSummary & { report: string | null };

export function summaryJson(summary: ImportSummary, report: string | null): ImportSummaryJson {
  return {
    jobId: summary.jobId,
    state: summary.state,
    rows: summary.rows,
    valid: summary.valid,
    created: summary.created,
    exists: summary.exists,
    invalid: summary.invalid,
    failed: summary.failed,
    remaining: summary.remaining,
    stopped: summary.stopped,
    stopReason: summary.stopReason,
    elapsedMs: Math.round(summary.elapsedMs),
    report,
  };
}

/**
 * 0: every valid row was created or already existed (invalid rows are reported, not sent);
 * 1: rows failed (Cognito rejected them, or transient errors outlasted the retries);
 * 3: the job stopped on a quota or configuration error (or our side failed);
 * INTERRUPTED (130): paused by Ctrl-C / SIGTERM — resume it.
 */
export function exitCodeForSummary(summary: Pick<ImportSummary, 'state' | 'failed'>): ExitCode {
  switch (summary.state) {
    case 'stopped':
      return EXIT.configuration;
    case 'paused':
    case 'interrupted':
    case 'running':
      return EXIT.interrupted;
    case 'cancelled':
      return EXIT.refused;
    case 'completed':
      return summary.failed > 0 ? EXIT.refused : EXIT.ok;
  }
}

export function resumeHint(jobId: string): string {
  return `signup-desk import --resume ${jobId}`;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function stopReasonLines(reason: StopReason): string[] {
  const where = reason.rowNumber !== undefined ? ` at line ${reason.rowNumber}` : '';
  const lines = [`Stopped${where}: ${reason.errorName}: ${reason.message}`];
  if (reason.hint !== undefined) lines.push(`Hint: ${reason.hint}`);
  return lines;
}

export function summaryLines(summary: ImportSummary, report: string | null): string[] {
  const counts =
    `${summary.rows} rows: ${summary.created} created, ${summary.exists} already existed, ` +
    `${summary.invalid} invalid (not sent), ${summary.failed} failed` +
    (summary.remaining > 0 ? `, ${summary.remaining} not sent yet` : '') +
    ` — ${seconds(summary.elapsedMs)}.`;
  const lines: string[] = [];
  switch (summary.state) {
    case 'completed':
      lines.push(
        summary.failed > 0
          ? `Finished with failures. ${counts}`
          : summary.invalid > 0
            ? `Finished: every valid row was created or already existed. ${counts}`
            : `Finished: every row was created or already existed. ${counts}`,
      );
      break;
    case 'stopped':
      lines.push(`The job stopped. ${counts}`);
      if (summary.stopReason !== null) lines.push(...stopReasonLines(summary.stopReason));
      lines.push(`Fix the cause (or wait for the quota), then resume: ${resumeHint(summary.jobId)}`);
      break;
    case 'paused':
    case 'interrupted':
    case 'running':
      lines.push(`Paused. ${counts}`, `Resume with: ${resumeHint(summary.jobId)}`);
      break;
    case 'cancelled':
      lines.push(`Cancelled. ${counts}`);
      break;
  }
  if (summary.failed > 0)
    lines.push('The failed rows and their errors are in the report and in `signup-desk log`.');
  if (report !== null) lines.push(`Report: ${report}`);
  return lines;
}

/** One dry-run problem: `line 4, column "phone": message (suggested fix: +441234567890)`. */
export function problemLine(problem: RowProblemView): string {
  const column = problem.column !== null ? `, column "${problem.column}"` : '';
  const fix = problem.suggestion !== undefined ? ` (suggested fix: ${problem.suggestion})` : '';
  return `line ${problem.line}${column}: ${problem.message}${fix}`;
}

export interface DryRunView {
  rows: number;
  valid: number;
  invalid: number;
  problems: readonly RowProblemView[];
  problemCounts: Readonly<Record<string, number>>;
  problemsTruncated: boolean;
}

export function dryRunLines(result: DryRunView): string[] {
  const lines = result.problems.map(problemLine);
  const total = Object.values(result.problemCounts).reduce((a, b) => a + b, 0);
  if (result.problemsTruncated)
    lines.push(`… and ${total - result.problems.length} more problems (not listed).`);
  const kinds = Object.entries(result.problemCounts).filter(([, count]) => count > 0);
  if (kinds.length > 0)
    lines.push(`Problems by kind: ${kinds.map(([kind, count]) => `${kind} ${count}`).join(', ')}.`);
  lines.push(
    `Dry run: ${result.rows} rows; ${result.valid} would be sent, ${result.invalid} invalid (would be skipped). Nothing was sent.`,
  );
  return lines;
}

function jobDetail(job: JobView): string {
  const reason = job.progress.stopReason;
  switch (job.state) {
    case 'stopped':
      return reason !== undefined ? `${reason.errorName}: ${reason.message}` : '';
    case 'paused':
    case 'interrupted':
      return `resume: ${resumeHint(job.id)}`;
    case 'running':
      return 'running in another process';
    default:
      return '';
  }
}

export function jobLines(jobs: readonly JobView[]): string[] {
  if (jobs.length === 0) return ['No import jobs yet.'];
  return table([
    ['ID', 'CREATED', 'STATE', 'FILE', 'PROFILE', 'DONE', 'CREATED', 'EXISTS', 'INVALID', 'FAILED', 'DETAIL'],
    ...jobs.map((job) => {
      const p = job.progress;
      return [
        job.id,
        job.createdAt,
        job.state,
        job.fileName,
        job.profileName ?? '(no profile)',
        `${p.rows - p.remaining}/${p.rows}`,
        String(p.created),
        String(p.exists),
        String(p.invalid),
        String(p.failed),
        jobDetail(job),
      ];
    }),
  ]);
}
