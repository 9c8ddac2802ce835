/**
 * Sends one reserved row: the attempt loop, paced by the run's limiter, with each answer's
 * decision taken from retry-policy.ts (retry after a backoff, exists, fail the row, give up, or
 * stop the job — Cognito's rules: docs/cognito.md).
 */
import type { LogEntry } from '@shared/contract';
import type { CognitoIdentityProviderClient } from '../../cognito/client';
import type { Connection, sendSignUp } from '../../cognito/sign-up-call';
import type { NewLogEntry } from '../../log/log-store';
import { decide, mayHaveReachedCognito, type RetryPolicy, type StopReason } from '../retry-policy';
import { createFailureBreaker } from './failure-breaker';
import type { OutcomeCommitter } from './outcome-committer';
import {
  createdCodeNotSentRecord,
  createdRecord,
  existsRecord,
  failedRecord,
  INTERRUPTED_NOTE,
  PASSWORD_LOST_NOTE,
  stoppedHereEntry,
  UNANSWERED_NOTE,
  type JobEntryBase,
  type RecordedRow,
} from './outcome-records';
import type { ReadyRow, RowSource } from './row-source';
import { halted, stopRun, type Run } from './run-state';
import type { Clock } from './timing';

export interface RowSenderOptions {
  run: Run;
  client: CognitoIdentityProviderClient;
  connection: Connection;
  send: typeof sendSignUp;
  policy: RetryPolicy;
  clock: Clock;
  random: () => number;
  committer: OutcomeCommitter;
  source: Pick<RowSource, 'unsent'>;
  entryBase: JobEntryBase;
  /** The answer that stopped the job is logged on its own (the row keeps no outcome). */
  recordStop: (entry: NewLogEntry) => LogEntry;
  onStopped: (entry: LogEntry) => void;
  /** Consecutive same-shaped row failures that stop the job (failure-breaker.ts); default 25. */
  breakerThreshold?: number;
}

export type RowSender = (item: ReadyRow) => Promise<void>;

export function createRowSender(options: RowSenderOptions): RowSender {
  const { run, client, connection, send, policy, clock, random, committer, source, entryBase } = options;
  const { now, sleep } = clock;
  // One per run: a resume starts with a fresh streak.
  const breaker = createFailureBreaker(options.breakerThreshold);

  return async ({ row, input, passwordGenerated, interrupted }) => {
    /** The row as recorded now, when its answer came. */
    const answered = (): RecordedRow => ({
      index: row.index,
      line: row.line,
      username: input.username,
      time: new Date(now()).toISOString(),
    });
    let uncertain = interrupted;
    for (let attempt = 1; ; attempt += 1) {
      // Through the budget when there is one: it answers a start only while its lease holds.
      const startedAt = run.limiter === null ? now() : await (run.quota ?? run.limiter).acquire();
      if (halted(run)) {
        // Nothing more goes out after a pause, cancel or stop. A row whose earlier attempts
        // may have reached Cognito stays 'sending' so a resume reports a later "exists" truthfully.
        if (!uncertain) source.unsent(row.index);
        return;
      }
      run.starts.push(startedAt);
      const result = await send(client, connection, input);
      if (result.kind === 'ok') {
        run.limiter?.succeeded();
        breaker.passed();
        await committer.add(
          createdRecord(entryBase, answered(), result, passwordGenerated ? input.password : undefined),
        );
        return;
      }
      const error = result.error;
      const decision = decide(error, attempt, policy, random);
      switch (decision.action) {
        case 'retry':
          if (mayHaveReachedCognito(error)) {
            run.limiter?.slowDown(startedAt, 'failed');
            uncertain = true;
          } else run.limiter?.slowDown(startedAt, 'throttled');
          await sleep(decision.delayMs);
          continue;
        case 'exists': {
          // A generated password is in no store until its outcome commits: an interrupted
          // attempt that created the user took its password with it.
          const note = interrupted
            ? passwordGenerated
              ? PASSWORD_LOST_NOTE
              : INTERRUPTED_NOTE
            : uncertain
              ? UNANSWERED_NOTE
              : undefined;
          run.limiter?.succeeded();
          breaker.passed();
          await committer.add(existsRecord(entryBase, answered(), error, note));
          return;
        }
        case 'fail-row':
        case 'give-up': {
          const tripped = breaker.failed(error);
          if (tripped !== null) stopRun(run, { ...tripped, rowNumber: row.line });
          await committer.add(
            failedRecord(entryBase, answered(), error, decision.action === 'give-up' ? attempt : null),
          );
          return;
        }
        case 'created-code-not-sent':
          // Never sent again (a retry would only say UsernameExists); the job stops, the limit
          // holds for hours (docs/cognito.md#errors).
          breaker.passed();
          stopRun(run, { ...decision.reason, rowNumber: row.line });
          await committer.add(
            createdCodeNotSentRecord(
              entryBase,
              answered(),
              error,
              passwordGenerated ? input.password : undefined,
            ),
          );
          return;
        case 'stop-job': {
          const reason: StopReason = { ...decision.reason, rowNumber: row.line };
          stopRun(run, reason);
          // The row has no outcome: it was refused, and is sent again on resume. Its log entry
          // tells the user why the job stopped.
          if (!uncertain) source.unsent(row.index);
          options.onStopped(options.recordStop(stoppedHereEntry(entryBase, answered(), error)));
          return;
        }
      }
    }
  };
}
