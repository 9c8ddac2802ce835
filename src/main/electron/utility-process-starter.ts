import { utilityProcess } from 'electron';
import type { ProcessStarter } from '../sandbox/process-starter';

/**
 * The app's way to run a Node script (cognito-local for the sandbox): an Electron utility process.
 * The packaged app's RunAsNode fuse is off, so ELECTRON_RUN_AS_NODE + child_process no longer
 * works; a utility process is a Node.js child that Electron starts itself, and it reads scripts
 * from inside app.asar. Same cwd and environment as before, so cognito-local's data stays in
 * `<cwd>/.cognito`. https://www.electronjs.org/docs/latest/api/utility-process
 */
export const utilityProcessStarter: ProcessStarter = (script, { cwd, env }) => {
  const child = utilityProcess.fork(script, [], {
    cwd,
    env,
    // stdin cannot be piped to a utility process; stdout/stderr are, as with child_process.
    stdio: ['ignore', 'pipe', 'pipe'],
    serviceName: 'cognito-local (SignUp Desk sandbox)',
  });
  let exited = false;
  let exitCode: number | null = null;
  child.once('exit', (code) => {
    exited = true;
    exitCode = code;
  });
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    onExit(listener) {
      if (exited) listener(exitCode);
      else child.once('exit', (code) => listener(code));
    },
    onError(listener) {
      // 'error' is a fatal V8 error in the child; it exits afterwards ('exit' still fires).
      child.once('error', (type, location) => listener(new Error(`${type} at ${location}`)));
    },
    kill(force = false) {
      // kill() is SIGTERM on POSIX (TerminateProcess on Windows); a forced stop signals the pid.
      const pid = child.pid;
      if (force && pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
          return;
        } catch {
          // Already gone, or not ours to signal: fall back to Electron's own kill.
        }
      }
      child.kill();
    },
  };
};
