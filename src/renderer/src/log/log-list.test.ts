import { describe, expect, it } from 'vitest';
import type { LogEntry } from '@shared/contract';
import {
  MAX_KEPT,
  NO_FILTERS,
  appendPage,
  filterQuery,
  mergeNewest,
  oncePerFrame,
  pageQuery,
} from './log-list';

const e = (id: number): LogEntry => ({
  id,
  time: '2026-05-01T10:00:00.000Z',
  source: 'form',
  region: 'eu-west-1',
  clientId: 'c',
  username: `u${id}`,
  outcome: 'created',
});
const ids = (list: LogEntry[]): number[] => list.map((x) => x.id);

describe('log list', () => {
  it('asks only for the filters that are set, text trimmed', () => {
    expect(pageQuery(NO_FILTERS, null)).toEqual({ limit: 100 });
    expect(
      pageQuery(
        {
          ...NO_FILTERS,
          outcomes: ['error'],
          jobId: 'j1',
          deliveryMedium: 'SMS',
          errorName: 'X',
          from: '2026-05-01',
          to: '2026-05-02',
          text: '  bob ',
        },
        42,
      ),
    ).toEqual({
      outcomes: ['error'],
      jobId: 'j1',
      deliveryMedium: 'SMS',
      errorName: 'X',
      from: '2026-05-01',
      to: '2026-05-02',
      text: 'bob',
      limit: 100,
      before: 42,
    });
    expect(filterQuery({ ...NO_FILTERS, text: '   ' })).toEqual({});
  });

  it('puts new entries on top and keeps what was shown', () => {
    const merged = mergeNewest([e(5), e(4), e(3)], [e(7), e(6), e(5), e(4)]);
    expect(ids(merged.entries)).toEqual([7, 6, 5, 4, 3]);
    expect(merged).toMatchObject({ added: 2, replaced: false });
    expect(mergeNewest([e(5), e(4)], [e(5), e(4)])).toMatchObject({ added: 0, replaced: false });
  });

  it('restarts from the fresh page when it does not meet the list (a gap)', () => {
    const merged = mergeNewest([e(5), e(4)], [e(300), e(299)]);
    expect(ids(merged.entries)).toEqual([300, 299]);
    expect(merged.replaced).toBe(true);
  });

  it('appends pages without duplicates and keeps at most MAX_KEPT entries', () => {
    expect(ids(appendPage([e(9), e(8)], [e(8), e(7)]))).toEqual([9, 8, 7]);
    const big = Array.from({ length: MAX_KEPT }, (_, i) => e(MAX_KEPT * 2 - i));
    expect(appendPage(big, [e(1)])).toHaveLength(MAX_KEPT);
  });

  it('runs at most once per frame', () => {
    const frames: Array<() => void> = [];
    let runs = 0;
    const batch = oncePerFrame(
      () => runs++,
      (cb) => frames.push(cb),
    );
    for (let i = 0; i < 50; i++) batch.request();
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    expect(runs).toBe(1);
    batch.request();
    batch.cancel();
    frames.shift()?.();
    expect(runs).toBe(1);
  });
});
