import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../import/import-engine';
import { progressBar, progressLine } from './progress-output';

const PROGRESS: ImportProgress = {
  rows: 150,
  valid: 148,
  created: 40,
  exists: 2,
  invalid: 2,
  failed: 1,
  remaining: 105,
  ratePerSecond: 24,
  allowedRate: 25,
  elapsedMs: 3000,
  state: 'running',
};

describe('progress output while jobs share the sign-up quota', () => {
  it('says how many jobs share it, on the bar and on the plain line', () => {
    const sharing = { ...PROGRESS, sharedWith: 2, quota: 50 };
    expect(progressBar(sharing, 200)).toContain(' · 24/s · 2 jobs share 50/s · ETA 5s');
    expect(progressLine(sharing)).toBe(
      'progress: 45/150 rows (40 created · 2 exist · 2 invalid · 1 failed), 24 req/s · 2 jobs share 50/s, 3 s',
    );
  });

  it('says nothing of it for a job alone on its quota', () => {
    expect(progressLine({ ...PROGRESS, sharedWith: 1, quota: 50 })).not.toContain('share');
    expect(progressBar(PROGRESS, 200)).not.toContain('share');
  });
});
