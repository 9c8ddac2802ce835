/**
 * The CLI with a damaged database: `profiles` never opens it, and a command that needs it
 * exits 3 with a message naming the file and what to do (not "file is not a database").
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from '../keychain/secret-store';
import { DATABASE_FILE } from '../store/database';
import { runCli } from './run-cli';

const secrets = createKeytarSecretStore(`SignUp Desk damaged-db test ${process.pid}`);
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'signup-damaged-'));
  writeFileSync(join(home, DATABASE_FILE), Buffer.alloc(4096, 'garbage '));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function cli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  stdin.end('');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(argv, { stdin, stdout, stderr, env }, { home, secrets });
  return { code, stdout: out, stderr: err };
}

describe('the CLI with a damaged database', () => {
  it('lists and adds profiles without opening it', async () => {
    const added = await cli(
      ['profiles', 'add', '--name', 'p1', '--region', 'eu-west-1'].concat([
        '--user-pool-id',
        'eu-west-1_Abc123',
        '--client-id',
        'client1',
      ]),
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const listed = await cli(['profiles', 'list', '--json']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ profiles: [{ name: 'p1' }] });
  });

  it('answers a command that needs it with the file and what to do, exit 3', async () => {
    const run = await cli(['log']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`DatabaseCorrupt: The database ${join(home, DATABASE_FILE)} is damaged`);
    expect(run.stderr).toContain('Move it aside (or restore a backup)');
  });

  it('sends no sign-up when the attempt cannot be logged', async () => {
    // Nothing listens on port 9 (discard): had it been sent, the error would be the network's.
    const argv = ['signup', '--client-id', 'c1', '--region', 'eu-west-1', '--endpoint', 'http://127.0.0.1:9'];
    const run = await cli([...argv, '--username', 'u1', '--password-env', 'PW', '--json'], {
      PW: 'Corr3ct-Horse-Battery',
    });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'error', error: { name: 'DatabaseCorrupt' } });
  });
});
