import { describe, expect, it } from 'vitest';
import type { ImportProgressView } from '@shared/contract';
import { etaMs, formatDuration, formatRate, percentDone, summarize } from './job-format';

function progress(over: Partial<ImportProgressView>): ImportProgressView {
  return {
    rows: 40,
    valid: 40,
    created: 0,
    exists: 0,
    invalid: 0,
    failed: 0,
    remaining: 40,
    ratePerSecond: 0,
    allowedRate: 10,
    elapsedMs: 0,
    state: 'running',
    ...over,
  };
}

describe('formatRate', () => {
  it('shows the cap, and the split when other jobs share the sign-up quota', () => {
    expect(formatRate(progress({ ratePerSecond: 9.6, allowedRate: 10 }))).toBe('10 requests/s (cap 10/s)');
    expect(formatRate(progress({ ratePerSecond: 24, allowedRate: 25, sharedWith: 2, quota: 50 }))).toBe(
      '24 requests/s (cap 25/s; 2 jobs share 50/s)',
    );
    expect(formatRate(progress({ allowedRate: 40, sharedWith: 1, quota: 50 }))).toBe(
      '0 requests/s (cap 40/s)',
    );
  });
});

describe('summarize', () => {
  it('never says success when rows failed, and points at the report', () => {
    const s = summarize(progress({ created: 38, failed: 2, remaining: 0, state: 'completed' }));
    expect(s.text).toBe('38 created, 2 failed — see the report');
    expect(s.text).not.toMatch(/success/i);
    expect(s.tone).toBe('bad');
  });

  it('counts invalid rows as a problem and lists what was not sent', () => {
    const s = summarize(progress({ created: 10, invalid: 3, remaining: 27, state: 'stopped' }));
    expect(s.text).toBe('10 created, 3 invalid, 27 not sent — see the report');
    expect(s.tone).toBe('bad');
  });

  it('says every row was created only when that is true', () => {
    expect(summarize(progress({ created: 40, remaining: 0, state: 'completed' }))).toEqual({
      text: '40 created — every row was created',
      tone: 'ok',
    });
    const withExisting = summarize(progress({ created: 39, exists: 1, remaining: 0, state: 'completed' }));
    expect(withExisting.text).toBe('39 created, 1 already existed');
    expect(withExisting.tone).toBe('warn');
  });

  it('shows "0 created" rather than hiding it', () => {
    expect(summarize(progress({ failed: 40, remaining: 0, state: 'completed' })).text).toBe(
      '0 created, 40 failed — see the report',
    );
  });
});

describe('progress numbers', () => {
  it('estimates the time left from the average pace', () => {
    expect(etaMs(progress({ created: 10, remaining: 30, elapsedMs: 5000 }))).toBe(15000);
    expect(etaMs(progress({ created: 0, elapsedMs: 5000 }))).toBeNull();
    expect(etaMs(progress({ created: 10, remaining: 30, elapsedMs: 5000, state: 'paused' }))).toBeNull();
  });

  it('gives the share of rows done', () => {
    expect(percentDone(progress({ created: 10, failed: 1, invalid: 1, exists: 8, remaining: 20 }))).toBe(50);
    expect(percentDone(progress({ rows: 0 }))).toBe(0);
  });

  it('formats durations the way people read them', () => {
    expect(formatDuration(8_400)).toBe('8 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
  });
});
