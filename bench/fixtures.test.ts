/**
 * The bench's own building blocks (the bench itself is not a test: CI never runs it). The generated
 * file must hold exactly the bad rows it claims, since "rows lost" and "bad rows missed" rely on it,
 * and goals must be judged the right way round.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dryRun } from '../src/main/import/dry-run';
import { BENCH_PASSWORD, CSV_HEADER, userRow, writeUsersCsv } from './fixtures';
import { goalMet, median } from './scenario';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signup-desk-bench-fixtures-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeUsersCsv', () => {
  it('writes the rows it reports, and the dry run flags exactly its bad ones', async () => {
    const file = await writeUsersCsv(join(dir, 'users.csv'), { rows: 40, prefix: 't', badEvery: 5 });
    expect(file).toMatchObject({ rows: 40, valid: 32, invalid: 8 });
    const text = await readFile(file.path, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines).toHaveLength(41);
    expect(Buffer.byteLength(text)).toBe(file.bytes);
    expect(lines[1]).toBe('t-0000000,t-0000000@example.com,+447900000000,Ada,Lovelace');
    const result = await dryRun(file.path, { passwords: { kind: 'shared', password: BENCH_PASSWORD } });
    expect(result).toMatchObject({ rows: 40, valid: 32, invalid: 8 });
    expect(result.problemCounts).toMatchObject({
      'excel-phone': 2,
      'invalid-username': 2,
      'duplicate-username': 2,
      'missing-value': 2,
    });
  });

  it('gives the same user for the same prefix and index (file and bare loop send the same)', () => {
    expect(userRow('p', 7)).toEqual(userRow('p', 7));
    expect(userRow('p', 7).username).not.toBe(userRow('q', 7).username);
  });
});

describe('goals', () => {
  it('judges each kind of goal the right way round', () => {
    expect(goalMet({ name: 'r', value: 0.96, goal: { op: '>=', target: 0.95 } })).toBe(true);
    expect(goalMet({ name: 'r', value: 0.94, goal: { op: '>=', target: 0.95 } })).toBe(false);
    expect(goalMet({ name: 'w', value: 1.02, goal: { op: '<=', target: 1 } })).toBe(false);
    expect(goalMet({ name: 'm', value: 300, goal: { op: '<', target: 300 } })).toBe(false);
    expect(goalMet({ name: 'l', value: 1, goal: { op: '==', target: 0 } })).toBe(false);
    expect(goalMet({ name: 'x', value: 5 })).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
