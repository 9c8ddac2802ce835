/**
 * How the launcher starts a Node script as its own process, as a collaborator: plain Node's
 * child_process here (CLI, tests, the browser harness), Electron's utilityProcess in the app
 * (src/main/electron/utility-process-starter.ts) — the packaged app's RunAsNode fuse is off, so
 * its binary can no longer be run as Node. No Electron import in this folder.
 */
import { spawn } from 'node:child_process';

export interface StartOptions {
  /** Working directory of the new process. */
  cwd: string;
  /** Its whole environment. */
  env: Record<string, string>;
}

/** The few things the launcher needs from a started process. */
export interface StartedProcess {
  /** Undefined until it has spawned (and, for utility processes, after it exits). */
  readonly pid: number | undefined;
  /** Output streams, piped; the launcher keeps a short tail for start-up errors. */
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Once, when it has exited (code null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void;
  /** Once, if it could not be started at all. */
  onError(listener: (error: Error) => void): void;
  /** Asks it to stop; `force` kills it outright. */
  kill(force?: boolean): void;
}

/** Starts `script` (a JavaScript file) with no arguments. */
export type ProcessStarter = (script: string, options: StartOptions) => StartedProcess;

/** child_process.spawn of `nodePath script`: a plain Node binary (defaults to this process's). */
export function nodeProcessStarter(nodePath: string = process.execPath): ProcessStarter {
  return (script, { cwd, env }) => {
    const child = spawn(nodePath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    return {
      get pid() {
        return child.pid;
      },
      stdout: child.stdout,
      stderr: child.stderr,
      onExit(listener) {
        if (child.exitCode !== null || child.signalCode !== null) listener(child.exitCode);
        else child.once('exit', (code) => listener(code));
      },
      onError(listener) {
        child.once('error', listener);
      },
      kill(force = false) {
        child.kill(force ? 'SIGKILL' : 'SIGTERM');
      },
    };
  };
}
