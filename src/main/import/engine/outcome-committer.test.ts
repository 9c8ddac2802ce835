/**
 * The group commit on a fake scheduler: outcomes wait for the window (or a full group, or the next
 * reservation) and commit together; nothing counts as done before its commit.
 */
import { describe, expect, it } from 'vitest';
import { createFakeTime } from '../../../../test/support/fake-time';
import type { LogEntry } from '@shared/contract';
import type { OutcomeWithEntry, RowRef } from '../job-store';
import { createOutcomeCommitter, OUTCOME_GROUP_MAX, OUTCOME_GROUP_WINDOW_MS } from './outcome-committer';
import { invalidRecord, jobEntryBase, type RowRecord } from './outcome-records';

const base = jobEntryBase('job-1', { region: 'us-east-1', clientId: 'client' });
const record = (index: number): RowRecord =>
  invalidRecord(
    base,
    { index, line: index + 2, username: `u-${index}`, time: '2026-01-01T00:00:00.000Z' },
    'bad',
  );

function recordingStore() {
  const commits: Array<{ outcomes: number[]; reserved: number[] }> = [];
  return {
    commits,
    store: {
      recordOutcomes(_jobId: string, items: readonly OutcomeWithEntry[], reserve: readonly RowRef[] = []) {
        commits.push({ outcomes: items.map((i) => i.outcome.index), reserved: reserve.map((r) => r.index) });
        return items.map((item, id): LogEntry => ({ ...item.entry, id }));
      },
      reserve(_jobId: string, rows: readonly RowRef[]) {
        if (rows.length > 0) commits.push({ outcomes: [], reserved: rows.map((r) => r.index) });
      },
    },
  };
}

describe('createOutcomeCommitter', () => {
  it('commits a group when its window ends, a full group at once, and waiting outcomes with a reservation', async () => {
    const time = createFakeTime({ auto: false });
    const { store, commits } = recordingStore();
    const committed: number[] = [];
    const committer = createOutcomeCommitter({
      store,
      jobId: 'job-1',
      report: null,
      scheduler: time.scheduler,
      onCommitted: (group) => committed.push(...group.map((r) => r.outcome.index)),
      onFailure: () => undefined,
    });

    await committer.add(record(0));
    await committer.add(record(1));
    await time.advance(OUTCOME_GROUP_WINDOW_MS - 1);
    expect(commits).toEqual([]);
    expect(committed).toEqual([]);
    await time.advance(1);
    expect(commits).toEqual([{ outcomes: [0, 1], reserved: [] }]);

    await committer.add(record(2));
    committer.reserve([{ index: 3, line: 5, username: 'u-3' }]);
    expect(commits.at(-1)).toEqual({ outcomes: [2], reserved: [3] });
    expect(time.pending()).toBe(0);

    for (let i = 0; i < OUTCOME_GROUP_MAX; i++) await committer.add(record(100 + i));
    expect(commits.at(-1)?.outcomes).toHaveLength(OUTCOME_GROUP_MAX);
    expect(committed).toHaveLength(3 + OUTCOME_GROUP_MAX);

    await committer.add(record(999));
    await committer.drain();
    expect(commits.at(-1)).toEqual({ outcomes: [999], reserved: [] });
  });

  it('stops on a failed commit and reports it at drain', async () => {
    const time = createFakeTime({ auto: false });
    const failure = new Error('disk full');
    const failures: unknown[] = [];
    const committer = createOutcomeCommitter({
      store: {
        recordOutcomes: () => {
          throw failure;
        },
        reserve: () => undefined,
      },
      jobId: 'job-1',
      report: null,
      scheduler: time.scheduler,
      onCommitted: () => expect.unreachable('nothing was stored'),
      onFailure: (error) => failures.push(error),
    });
    await committer.add(record(0));
    await time.advance(OUTCOME_GROUP_WINDOW_MS);
    expect(failures).toEqual([failure]);
    await expect(committer.drain()).rejects.toBe(failure);
  });
});
