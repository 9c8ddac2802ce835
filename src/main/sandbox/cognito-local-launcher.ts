/**
 * Starts cognito-local (https://github.com/jagregory/cognito-local), a local emulation of the
 * Cognito user-pools API, as a child process — for the app's "Try it without AWS" sandbox and for
 * the tests (test/support/cognito-local.ts). Its data lives in `<cwd>/.cognito`, so starting it
 * again in the same folder brings back the same pools, clients and users.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { nodeProcessStarter, type ProcessStarter, type StartedProcess } from './process-starter';

export interface LaunchOptions {
  /** Folder cognito-local runs in; its data goes to `<cwd>/.cognito`. */
  cwd: string;
  /** Path to cognito-local's `lib/bin/start.js`; defaults to the installed package's. */
  entry?: string;
  /**
   * How to start it: the app passes an Electron utilityProcess starter; without one it runs with
   * child_process and `nodePath` (default process.execPath — plain Node in the CLI and tests).
   */
  start?: ProcessStarter;
  /** The Node binary for the default starter. */
  nodePath?: string;
  /** Defaults to a free port chosen at start. */
  port?: number;
  /** How long to wait for GET /health, in ms. */
  startTimeoutMs?: number;
}

export interface CognitoLocalProcess {
  endpoint: string;
  port: number;
  pid: number | undefined;
  /** Resolves once the child has exited. */
  stop(): Promise<void>;
  /** Whether the child is still running. */
  running(): boolean;
}

const HOST = '127.0.0.1';

export function defaultCognitoLocalEntry(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('cognito-local/package.json'), '..', 'lib', 'bin', 'start.js');
}

/** cognito-local's default pool uses email as the username; we need plain usernames too. */
export function writeCognitoLocalConfig(cwd: string): void {
  const dir = join(cwd, '.cognito');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config.json');
  if (!existsSync(file))
    writeFileSync(file, JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }, null, 2) + '\n');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('No free port found.'))));
    });
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function stringEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, ...extra };
}

export async function launchCognitoLocal(options: LaunchOptions): Promise<CognitoLocalProcess> {
  mkdirSync(options.cwd, { recursive: true });
  writeCognitoLocalConfig(options.cwd);
  const port = options.port ?? (await freePort());
  const endpoint = `http://${HOST}:${port}`;
  const start = options.start ?? nodeProcessStarter(options.nodePath);
  const child: StartedProcess = start(options.entry ?? defaultCognitoLocalEntry(), {
    cwd: options.cwd,
    env: stringEnv({ HOST, PORT: String(port) }),
  });
  // Its log lines describe requests (and on unsupported targets, their bodies — passwords):
  // keep only a short tail in memory for a start-up failure message, never on disk.
  let tail = '';
  const keep = (chunk: Buffer | string): void => {
    tail = (tail + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  let exitCode: number | null = null;
  const exit = new Promise<void>((resolve) =>
    child.onExit((code) => {
      exited = true;
      exitCode = code;
      resolve();
    }),
  );
  let failure: Error | undefined;
  child.onError((error) => {
    failure = error;
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  while (!(await healthy(endpoint))) {
    if (failure !== undefined || exited || Date.now() > deadline) {
      child.kill(true);
      const why = failure?.message ?? (exited ? `it exited (code ${exitCode})` : 'it did not answer in time');
      throw new Error(`cognito-local did not start on ${endpoint}: ${why}.${tail ? `\n${tail.trim()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // After start-up its output is not needed; keep reading so the pipes never fill up.
  tail = '';
  child.stdout?.removeListener('data', keep);
  child.stderr?.removeListener('data', keep);
  child.stdout?.resume();
  child.stderr?.resume();

  return {
    endpoint,
    port,
    pid: child.pid,
    running: () => !exited,
    async stop() {
      if (exited) return;
      child.kill();
      const timer = setTimeout(() => child.kill(true), 3_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
