/**
 * Shared by the CLI's end-to-end tests (signup-desk.test.ts, import.test.ts): the real
 * `signup-desk` bin as a child process (node_modules/.bin/node, the pinned Node 22) with its own
 * data folder, and small readers for what it prints and leaves behind. Not a test file itself.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { adminClient, TEST_REGION } from '../cognito/pool-admin';

export const ROOT = resolve(__dirname, '../..');
export const NODE = join(ROOT, 'node_modules', '.bin', 'node');
export const BIN = join(ROOT, 'bin', 'signup-desk.js');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface BinOptions {
  /** The data folder (SIGNUP_DESK_HOME). */
  home: string;
  env?: Record<string, string>;
  stdin?: string;
}

/** A started bin whose output is collected; `done` resolves when it exits. */
export interface BinProcess {
  child: ChildProcessWithoutNullStreams;
  output(): { stdout: string; stderr: string };
  done: Promise<Run>;
}

export function spawnBin(args: string[], options: BinOptions): BinProcess {
  const child = spawn(NODE, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, SIGNUP_DESK_HOME: options.home, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
  child.stdin.end(options.stdin ?? '');
  return { child, output: () => ({ stdout, stderr }), done };
}

export function runBin(args: string[], options: BinOptions): Promise<Run> {
  return spawnBin(args, options).done;
}

/** stdout holds exactly one JSON object. */
export function json(run: Pick<Run, 'stdout'>): Record<string, unknown> {
  expect(run.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** stdout holds JSON Lines. */
export function jsonLines(run: Pick<Run, 'stdout'>): Record<string, unknown>[] {
  return run.stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every username in a cognito-local pool (its ListUsers answers all users in one page). */
export async function listUsernames(endpoint: string, poolId: string): Promise<string[]> {
  const client = adminClient(endpoint);
  try {
    const answer = await client.send(new ListUsersCommand({ UserPoolId: poolId }));
    return (answer.Users ?? []).map((user) => user.Username ?? '');
  } finally {
    client.destroy();
  }
}

/** Waits for `check`; with `process`, fails at once (with its output) if that process ends first. */
export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  what: string,
  process?: BinProcess,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    const child = process?.child;
    if (child !== undefined && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`The process ended before ${what}: ${JSON.stringify(process?.output())}`);
    }
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The connection flags for an app client reached without a profile; the secret (if the client has
 * one) comes from the TEST_SECRET environment variable the test sets.
 */
export function directConnection(
  endpoint: string,
  client: { clientId: string; poolId?: string; clientSecret: string | null },
): string[] {
  return [
    '--client-id',
    client.clientId,
    '--region',
    TEST_REGION,
    '--endpoint',
    endpoint,
    ...(client.poolId !== undefined ? ['--user-pool-id', client.poolId] : []),
    ...(client.clientSecret !== null ? ['--client-secret-env', 'TEST_SECRET'] : []),
  ];
}
