/**
 * Starts cognito-local (the npm package) as a child process for tests: a fresh data folder, a
 * free loopback port, and a wait on GET /health. Engineer A's app-side sandbox launcher lives in
 * src/main/sandbox/; this one stays in e2e/ so the test infrastructure does not depend on it.
 * Recipe and quirks: DESIGN.md "Local Cognito endpoint for tests".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CognitoLocal {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** The folder cognito-local keeps its `.cognito` data in. */
  dir: string;
  stop(): Promise<void>;
}

export interface CognitoLocalOptions {
  /** Folder to run in; a fresh temp folder (removed on stop) when absent. */
  dir?: string;
  /** How long to wait for /health. */
  startTimeoutMs?: number;
}

const require = createRequire(import.meta.url);

function startScript(): string {
  return join(dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
}

/** Asks the OS for a free loopback port (there is a tiny race until the child binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`cognito-local did not answer ${endpoint}/health within ${timeoutMs} ms`);
}

export async function startCognitoLocal(options: CognitoLocalOptions = {}): Promise<CognitoLocal> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'signup-desk-cognito-')));
  await mkdir(join(dir, '.cognito'), { recursive: true });
  // Without this every non-email username is rejected (cognito-local defaults to email usernames).
  await writeFile(
    join(dir, '.cognito', 'config.json'),
    JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }),
  );
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [startScript()], {
    cwd: dir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep the tail of its output for a useful error when it fails to start; it logs confirmation
  // codes, which are test data only.
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(chunk.toString());
    if (tail.length > 40) tail.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (ownsDir) await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(endpoint, child, options.startTimeoutMs ?? 15_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${tail.join('')}`, { cause: error });
  }
  return { endpoint, dir, stop };
}
