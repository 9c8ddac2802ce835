/**
 * cognito-local for the e2e infrastructure: a fresh temp folder (removed on stop) and a free
 * loopback port, started with the app's own launcher (src/main/sandbox/cognito-local-launcher.ts)
 * so tests and the app's sandbox run it the same way. Quirks: README "Test it".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchCognitoLocal } from '../../src/main/sandbox/cognito-local-launcher';

export interface CognitoLocal {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** The folder cognito-local keeps its `.cognito` data in. */
  dir: string;
  stop(): Promise<void>;
}

export interface CognitoLocalOptions {
  /** Folder to run in (kept on stop); a fresh temp folder (removed on stop) when absent. */
  dir?: string;
  /** How long to wait for /health. */
  startTimeoutMs?: number;
}

export async function startCognitoLocal(options: CognitoLocalOptions = {}): Promise<CognitoLocal> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'signup-desk-cognito-')));
  const removeDir = async (): Promise<void> => {
    if (ownsDir) await rm(dir, { recursive: true, force: true });
  };
  try {
    const running = await launchCognitoLocal({
      cwd: dir,
      ...(options.startTimeoutMs !== undefined && { startTimeoutMs: options.startTimeoutMs }),
    });
    return {
      endpoint: running.endpoint,
      dir,
      stop: async () => {
        await running.stop();
        await removeDir();
      },
    };
  } catch (error) {
    await removeDir();
    throw error;
  }
}
