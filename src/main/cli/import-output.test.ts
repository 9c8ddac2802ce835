/**
 * The import summary, dry-run and progress texts, and the exit code a summary means; plus the
 * import command's usage errors, in-process (they must be caught before any service is opened).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImportProgress, ImportSummary } from '../import/import-engine';
import type { CliDeps } from './command';
import { dryRunLines, exitCodeForSummary, summaryJson, summaryLines } from './import-output';
import { progressBar, progressLine, startProgressOutput } from './progress-output';
import { runCli } from './run-cli';

const SUMMARY: ImportSummary = {
  jobId: 'job-1',
  state: 'completed',
  rows: 10,
  valid: 8,
  created: 6,
  exists: 1,
  invalid: 2,
  failed: 1,
  remaining: 0,
  stopped: false,
  stopReason: null,
  elapsedMs: 1234.6,
};

const PROGRESS: ImportProgress = {
  rows: 150,
  valid: 148,
  created: 40,
  exists: 2,
  invalid: 2,
  failed: 1,
  remaining: 105,
  ratePerSecond: 20,
  allowedRate: 20,
  elapsedMs: 2500,
  state: 'running',
};

describe('import summary', () => {
  it('maps outcomes to exit codes: 0 all valid rows done, 1 failures, 3 stopped, 130 paused', () => {
    expect(exitCodeForSummary({ state: 'completed', failed: 0 })).toBe(0);
    expect(exitCodeForSummary({ state: 'completed', failed: 1 })).toBe(1);
    expect(exitCodeForSummary({ state: 'stopped', failed: 0 })).toBe(3);
    expect(exitCodeForSummary({ state: 'paused', failed: 0 })).toBe(130);
  });

  it('has the documented JSON keys and never claims success when rows failed', () => {
    expect(Object.keys(summaryJson(SUMMARY, '/r.csv'))).toEqual([
      'jobId',
      'state',
      'rows',
      'valid',
      'created',
      'exists',
      'invalid',
      'failed',
      'remaining',
      'stopped',
      'stopReason',
      'elapsedMs',
      'report',
    ]);
    expect(summaryJson(SUMMARY, null).elapsedMs).toBe(1235);
    const lines = summaryLines(SUMMARY, '/r.csv');
    expect(lines[0]).toMatch(/^Finished with failures\. 10 rows: 6 created, 1 already existed, 2 invalid/);
    expect(lines.join('\n')).toContain('Report: /r.csv');
  });

  it('says why a job stopped and how to resume it', () => {
    const lines = summaryLines(
      {
        ...SUMMARY,
        state: 'stopped',
        stopped: true,
        remaining: 3,
        stopReason: {
          category: 'quota',
          errorName: 'LimitExceededException',
          message: 'Exceeded daily email limit',
          hint: 'Wait',
          rowNumber: 7,
        },
      },
      null,
    ).join('\n');
    expect(lines).toContain('3 not sent yet');
    expect(lines).toContain('Stopped at line 7: LimitExceededException: Exceeded daily email limit');
    expect(lines).toContain('Hint: Wait');
    expect(lines).toContain('signup-desk import --resume job-1');
  });

  it('lists dry-run problems with line, column and fix, and counts per kind', () => {
    const lines = dryRunLines({
      rows: 3,
      valid: 2,
      invalid: 1,
      problems: [
        {
          line: 4,
          index: 2,
          column: 'phone',
          kind: 'excel-phone',
          message: 'No +',
          suggestion: '+441234567890',
        },
      ],
      problemCounts: { 'excel-phone': 1, 'ragged-row': 0 },
      problemsTruncated: false,
    });
    expect(lines).toEqual([
      'line 4, column "phone": No + (suggested fix: +441234567890)',
      'Problems by kind: excel-phone 1.',
      'Dry run: 3 rows; 2 would be sent, 1 invalid (would be skipped). Nothing was sent.',
    ]);
  });
});

describe('progress output', () => {
  it('draws a bar that fits the terminal, and plain lines otherwise', () => {
    const bar = progressBar(PROGRESS, 200);
    expect(bar).toMatch(
      /^\[#{7}\.{17}\] 30% 45\/150 · 40 created · 2 exist · 2 invalid · 1 failed · 20\/s · ETA 6s$/,
    );
    expect(progressBar(PROGRESS, 40).length).toBe(39);
    expect(progressLine(PROGRESS)).toBe(
      'progress: 45/150 rows (40 created · 2 exist · 2 invalid · 1 failed), 20 req/s, 3 s',
    );
    expect(progressLine({ ...PROGRESS, rows: 0 })).toBe('progress: counting rows…');
  });

  it('redraws in place on a terminal and ends the line when stopped', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    const output = startProgressOutput({ stream, poll: () => PROGRESS, tty: true, intervalMs: 10_000 });
    output.stop();
    expect(text.startsWith('\r[')).toBe(true);
    expect(text.endsWith('\x1b[K\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });

  it('does not repeat an unchanged line in a log', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    const output = startProgressOutput({ stream, poll: () => PROGRESS, tty: false, intervalMs: 10_000 });
    output.stop();
    expect(text).toBe(`${progressLine(PROGRESS)}\n`);
  });
});

describe('import usage errors (in-process, no services opened)', () => {
  async function cli(argv: string[], env: Record<string, string> = {}) {
    const stdin = new PassThrough();
    stdin.end('');
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    let opened = false;
    const deps: CliDeps = {
      home: '/nonexistent/signup-desk-test',
      createServices: () => {
        opened = true;
        throw new Error('services must not be opened for a usage error');
      },
    };
    const code = await runCli(argv, { stdin, stdout, stderr, env }, deps);
    return { code, stdout: out, stderr: err, opened };
  }

  it.each([
    [['import'], 'Give the CSV file'],
    [['import', 'a.csv', 'b.csv', '--profile', 'p'], 'Give one CSV file'],
    [['import', 'a.csv'], 'Choose the pool'],
    [['import', 'a.csv', '--profile', 'p', '--client-id', 'c'], 'not both'],
    // The profile's own quota (50 by default) is checked once the profile is read.
    [['import', 'a.csv', '--profile', 'p', '--rate', '10001'], '--rate takes a whole number from 1 to 10000'],
    [['import', 'a.csv', '--profile', 'p', '--concurrency', '0'], '--concurrency takes'],
    [['import', 'a.csv', '--profile', 'p', '--delimiter', '|'], '--delimiter takes'],
    [['import', 'a.csv', '--profile', 'p', '--map', 'Mobile'], '--map "Mobile" is not COLUMN=ATTRIBUTE'],
    [['import', 'a.csv', '--profile', 'p', '--generate-passwords', '--password-env', 'X'], 'Use only one of'],
    [['import', 'a.csv', '--profile', 'p', '--password-min-length', '9'], 'goes with --generate-passwords'],
    [['import', 'a.csv', '--profile', 'p', '--generate-passwords', '--password-min-length', '5'], '6 to 99'],
    [['import', 'a.csv', '--profile', 'p', '--password-env', 'UNSET'], 'UNSET, which is not set'],
    [['import', 'a.csv', '--resume', 'j'], 'give no FILE'],
    [['import', '--resume', 'j', '--rate', '5'], '--rate cannot be changed on --resume'],
    [['import', 'a.csv', '--profile', 'p', '--password', 'Secret-1!'], '--password-env'],
    [['jobs', 'extra'], 'Unexpected argument'],
  ])('%j → exit 2 (%s)', async (argv, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('Secret-1!');
    expect(run.opened).toBe(false);
  });
});
