import { describe, expect, it } from 'vitest';
import {
  committed,
  fairShares,
  housekeeping,
  nextRate,
  reclaimed,
  released,
  withRate,
  type Allocation,
} from './allocation';

const timing = { ttlMs: 3000, holdMs: 1000 };

function row(id: number, fields: Partial<Allocation> = {}): Allocation {
  return {
    id,
    requested: 40,
    quota: 50,
    rate: 0,
    heldRate: 0,
    heldUntil: 0,
    heartbeatAt: 0,
    releasedAt: null,
    ...fields,
  };
}

describe('fairShares (water-filling)', () => {
  it('splits evenly when every demand is above the equal share', () => {
    expect(fairShares(50, [40, 40])).toEqual([25, 25]);
  });

  it('gives a small demand all it asks and the rest to the others', () => {
    expect(fairShares(50, [10, 40])).toEqual([10, 40]);
    expect(fairShares(50, [5, 40, 40])).toEqual([5, 23, 22]);
  });

  it('never sums above the quota, and hands the remainder to the oldest', () => {
    expect(fairShares(50, [50, 50, 50])).toEqual([17, 17, 16]);
    for (const demands of [[1], [50, 50, 50, 50, 50, 50, 50], [3, 7, 100, 12], [49, 2]]) {
      const shares = fairShares(50, demands);
      expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(50);
      shares.forEach((share, i) => expect(share).toBeLessThanOrEqual(demands[i] ?? 0));
    }
  });

  it('leaves capacity unused only when every demand is met', () => {
    expect(fairShares(50, [10, 20])).toEqual([10, 20]);
    expect(fairShares(50, [])).toEqual([]);
  });
});

describe('committed capacity', () => {
  it('keeps a lowered rate committed for the hold, then only the new rate', () => {
    const lowered = withRate(row(1, { rate: 40 }), 25, 1000, timing.holdMs);
    expect(lowered.rate).toBe(25);
    expect(committed(lowered, 1000)).toBe(40);
    expect(committed(lowered, 1999)).toBe(40);
    expect(committed(lowered, 2000)).toBe(25);
  });

  it('holds the highest rate from the latest change when lowered twice in one hold', () => {
    const once = withRate(row(1, { rate: 40 }), 30, 1000, timing.holdMs);
    const twice = withRate(once, 20, 1500, timing.holdMs);
    expect(committed(twice, 2200)).toBe(40);
    expect(committed(twice, 2500)).toBe(20);
  });

  it('a raise is not held: committed is the new rate at once', () => {
    const raised = withRate(row(1, { rate: 10 }), 25, 1000, timing.holdMs);
    expect(committed(raised, 1000)).toBe(25);
  });

  it('a job that left holds its last rate for the hold, then is deleted', () => {
    const gone = released(row(1, { rate: 30 }), 1000, timing.holdMs);
    expect(committed(gone, 1500)).toBe(30);
    expect(housekeeping(gone, 1500, timing)).toBe('keep');
    expect(committed(gone, 2000)).toBe(0);
    expect(housekeeping(gone, 2000, timing)).toBe('delete');
  });

  it('a stale job is reclaimed as of heartbeat + ttl and held one more hold', () => {
    const stale = row(1, { rate: 30, heartbeatAt: 1000 });
    expect(housekeeping(stale, 3999, timing)).toBe('keep');
    expect(housekeeping(stale, 4000, timing)).toBe('reclaim');
    const gone = reclaimed(stale, timing);
    expect(gone.releasedAt).toBe(4000);
    expect(committed(gone, 4999)).toBe(30);
    expect(committed(gone, 5000)).toBe(0);
  });
});

describe('nextRate', () => {
  it('a newcomer gets what is free now, not its fair share', () => {
    const a = row(1, { rate: 40 });
    const b = row(2);
    expect(nextRate([a, b], b, 0)).toEqual({ allowedRate: 10, sharedWith: 2, quota: 50 });
  });

  it('a job above its fair share lowers to it at once', () => {
    const a = row(1, { rate: 40 });
    const b = row(2, { rate: 10 });
    expect(nextRate([a, b], a, 0).allowedRate).toBe(25);
  });

  it('a job below its share rises only into capacity no longer held by others', () => {
    const a = withRate(row(1, { rate: 40 }), 25, 500, timing.holdMs);
    const b = row(2, { rate: 10 });
    expect(nextRate([a, b], b, 1000).allowedRate).toBe(10);
    expect(nextRate([a, b], b, 1500).allowedRate).toBe(25);
  });

  it('keeps to the lowest quota when profiles on one key disagree', () => {
    const a = row(1, { rate: 0, quota: 100, requested: 100 });
    const b = row(2, { quota: 50, requested: 100 });
    expect(nextRate([a, b], a, 0)).toMatchObject({ allowedRate: 25, quota: 50 });
  });

  it('counts released rows as held capacity but not as sharing jobs', () => {
    const gone = released(row(1, { rate: 30 }), 0, timing.holdMs);
    const b = row(2);
    expect(nextRate([gone, b], b, 500)).toEqual({ allowedRate: 20, sharedWith: 1, quota: 50 });
    expect(nextRate([gone, b], b, 1000).allowedRate).toBe(40);
  });
});
