/**
 * runCli in-process: usage errors are caught before any service (database, keychain, network) is
 * opened, exit 2, and never echo a secret. The real bin against Cognito is in signup-desk.test.ts.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';
import type { CliDeps } from './command';

async function cli(
  argv: string[],
  options: { env?: Record<string, string>; stdin?: string; tty?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string; opened: boolean }> {
  const stdin = new PassThrough();
  if (options.tty === true) Object.assign(stdin, { isTTY: true });
  stdin.end(options.stdin ?? '');
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
  const code = await runCli(argv, { stdin, stdout, stderr, env: options.env ?? {} }, deps);
  return { code, stdout: out, stderr: err, opened };
}

const SECRET = 'S3cret-value-never-echoed';

describe('runCli usage errors', () => {
  it('answers --help and <command> --help on stdout with exit 0', async () => {
    const top = await cli(['--help']);
    expect(top).toMatchObject({ code: 0, opened: false });
    expect(top.stdout).toContain('Usage: signup-desk <command>');
    const log = await cli(['log', '--help']);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('JSON Lines');
    const sub = await cli(['profiles', 'add', '--help']);
    expect(sub.stdout).toContain('profiles set-secret NAME');
  });

  it('rejects unknown commands and subcommands', async () => {
    expect(await cli(['frobnicate'])).toMatchObject({ code: 2, opened: false });
    const sub = await cli(['profiles', 'rename', 'x']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('use one of list, add, remove, set-secret, remove-secret, use');
  });

  it.each([
    [['signup', '--profile', 'p', '--username', 'u', '--password', SECRET]],
    [['signup', '--profile', 'p', '--username', 'u', `--password=${SECRET}`]],
    [['signup', '--client-id', 'c', '--region', 'eu-west-1', `--client-secret=${SECRET}`]],
    [['profiles', 'set-secret', 'p', '--secret', SECRET]],
  ])('refuses secrets as flags: %j', async (argv) => {
    const run = await cli(argv);
    expect(run).toMatchObject({ code: 2, opened: false });
    expect(run.stderr).toMatch(/is not accepted/);
    expect(run.stderr).not.toContain(SECRET);
  });

  it('says what is missing or contradictory in a signup', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['signup', '--username', 'u', '--password-env', 'PW'], /Choose the pool/],
      [['signup', '--profile', 'p', '--password-env', 'PW'], /--username/],
      [
        ['signup', '--profile', 'p', '--username', 'u'],
        /exactly one of --password-env VAR or --password-stdin/,
      ],
      [
        ['signup', '--profile', 'p', '--region', 'eu-west-1', '--username', 'u', '--password-env', 'PW'],
        /either --profile or --region/,
      ],
      [['signup', '--profile', 'p', '--username', 'u', '--password-env', 'UNSET'], /UNSET, which is not set/],
      [
        ['signup', '--client-id', 'c!', '--region', 'mars', '--username', 'u', '--password-env', 'PW'],
        /--region A region looks like eu-west-1\. --client-id An app client id is letters and digits only\./,
      ],
      [
        ['signup', '--profile', 'p', '--username', 'u', '--password-env', 'PW', '--attribute', 'email'],
        /NAME=VALUE/,
      ],
      [['signup', '--profile', 'p', '--username', 'u', '--password-stdin'], /No password on stdin/],
      [['log', '--limit', '0'], /--limit takes a whole number/],
      [['log', 'extra'], /Unexpected argument/],
      [['profiles', 'remove'], /Give the profile NAME/],
      [['profiles', 'add', '--name', 'n'], /Missing --region, --user-pool-id, --client-id/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(argv, { env: { PW: SECRET } });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.opened, argv.join(' ')).toBe(false);
      expect(run.stderr, argv.join(' ')).toMatch(message);
      expect(run.stderr).not.toContain(SECRET);
    }
  });

  it('will not read a secret typed on a terminal', async () => {
    const run = await cli(['profiles', 'set-secret', 'p'], { tty: true });
    expect(run).toMatchObject({ code: 2, opened: false });
    expect(run.stderr).toContain('Pipe the client secret into stdin');
  });

  it('reports a services failure as a configuration problem (exit 3)', async () => {
    const run = await cli(['profiles', 'list']);
    expect(run).toMatchObject({ code: 3, opened: true });
    expect(run.stderr).toContain('services must not be opened');
  });
});
