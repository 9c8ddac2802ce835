/**
 * Ctrl-C (SIGINT) or SIGTERM while an import runs: the first one pauses the job cleanly — no new
 * request goes out, the ones in flight finish and are recorded — so `--resume` continues exactly
 * there. A second one quits at once, like a crash: the job store already holds every finished row,
 * and a row whose request was in flight stays marked "sending", so the resume sends it again and
 * reports an "exists" answer as possibly created by the interrupted attempt.
 * https://nodejs.org/api/process.html#signal-events
 */
import type { Writable } from 'node:stream';

export interface InterruptTrap {
  /** Whether a first signal arrived (the job was asked to pause). */
  interrupted(): boolean;
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function trapInterrupts(stderr: Writable, pause: () => Promise<void>): InterruptTrap {
  let count = 0;
  const dispose = (): void => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    count += 1;
    if (count === 1) {
      stderr.write(
        `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: pausing — no new requests; the ones in flight finish and are recorded. ` +
          'Press Ctrl-C again to quit at once (the job can be resumed either way).\n',
      );
      pause().catch(() => undefined);
      return;
    }
    stderr.write('Quitting at once. Rows in flight are checked again on --resume.\n');
    // With our listeners gone, the same signal takes Node's default action: the process ends.
    dispose();
    process.kill(process.pid, signal);
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return { interrupted: () => count > 0, dispose };
}
