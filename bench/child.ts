/**
 * Child processes for the bench: a TypeScript entry run by the same Node binary through tsx, with
 * tsconfig.node.json (for the `@shared/*` alias), and an IPC channel. Children are used where one
 * process's figures must not be mixed with another's (peak RSS, the proxy's CPU).
 * https://tsx.is/dev-api/node-cli#custom-tsconfig-json-path
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TSCONFIG = fileURLToPath(new URL('../tsconfig.node.json', import.meta.url));

export function forkTs(entry: URL, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  return fork(fileURLToPath(entry), args, {
    execArgv: ['--import', 'tsx', '--disable-warning=ExperimentalWarning'],
    env: { ...process.env, TSX_TSCONFIG_PATH: TSCONFIG, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Runs a child to its end and returns the one message it sent; rejects on a non-zero exit or a timeout. */
export function runChild<T>(entry: URL, args: string[], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = forkTs(entry, args);
    let result: { value: T } | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry.pathname} ${args.join(' ')} took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message) => {
      result = { value: message as T };
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result !== null && code === 0) resolve(result.value);
      else reject(new Error(`${entry.pathname} ${args.join(' ')} exited with ${code ?? signal}`));
    });
  });
}
