import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../errors';
import { dryRun, FirstLineIndex } from './dry-run';
import { DEFAULT_PASSWORD_POLICY } from './password-generator';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dry-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const shared = { kind: 'shared', password: 'Sh4red!pass' } as const;

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('dryRun', () => {
  test('counts valid and invalid rows and keeps problems with line, column and message', async () => {
    const path = join(dir, 'mixed.csv');
    await writeFile(
      path,
      'Username,E-mail,Mobile\nann,ann@example.com,+447700900001\nANN,x@example.com,\nbob,bad-email,4.41E+11\n',
    );
    const result = await dryRun(path, { passwords: shared });
    expect(result).toMatchObject({
      rows: 3,
      valid: 1,
      invalid: 2,
      encoding: 'utf-8',
      delimiter: ',',
      problemsTruncated: false,
    });
    expect(result.problems.map((p) => [p.line, p.index, p.column, p.kind])).toEqual([
      [3, 1, 'Username', 'duplicate-username'],
      [4, 2, 'E-mail', 'invalid-attribute'],
      [4, 2, 'Mobile', 'excel-phone'],
    ]);
    expect(result.problems[0]?.message).toContain('line 2');
    expect(result.problemCounts).toMatchObject({
      'duplicate-username': 1,
      'invalid-attribute': 1,
      'excel-phone': 1,
      'ragged-row': 0,
    });
  });

  test('case-sensitive pools see Ann and ann as two users', async () => {
    const path = join(dir, 'case.csv');
    await writeFile(path, 'username\nAnn\nann\n');
    expect((await dryRun(path, { passwords: shared, caseSensitiveUsernames: true })).valid).toBe(2);
    expect((await dryRun(path, { passwords: shared })).valid).toBe(1);
  });

  test('keeps at most maxProblems problems while the counts stay exact', async () => {
    const path = join(dir, 'many-bad.csv');
    await writeFile(
      path,
      'username,email\n' + Array.from({ length: 500 }, (_, i) => `u${i},nope${i}`).join('\n'),
    );
    const result = await dryRun(path, { passwords: shared, maxProblems: 10 });
    expect(result.problems).toHaveLength(10);
    expect(result.problemCounts['invalid-attribute']).toBe(500);
    expect(result.problemsTruncated).toBe(true);
    expect(result.invalid).toBe(500);
  });

  test('stops before reading rows when the setup is wrong', async () => {
    const path = join(dir, 'setup.csv');
    await writeFile(path, 'email,password\na@example.com,x\n');
    expect((await errorOf(dryRun(path, { passwords: shared }))).name).toBe('MissingColumn');
    expect(
      (
        await errorOf(
          dryRun(path, {
            passwords: { kind: 'column' },
            overrides: { password: 'ignore', email: 'username' },
          }),
        )
      ).name,
    ).toBe('MissingColumn');
    expect(
      (await errorOf(dryRun(path, { passwords: shared, overrides: { Phone: 'phone_number' } }))).name,
    ).toBe('InvalidMapping');
    // With the overrides that fix it, the same file passes.
    expect(
      (await dryRun(path, { passwords: { kind: 'column' }, overrides: { email: 'username' } })).rows,
    ).toBe(1);
  });

  test('a shared password that Cognito would refuse is one error, without the password in it', async () => {
    const path = join(dir, 'shared.csv');
    await writeFile(path, 'username\na\n');
    const error = await errorOf(dryRun(path, { passwords: { kind: 'shared', password: ' two words' } }));
    expect(error.name).toBe('InvalidPassword');
    expect(error.message).not.toContain('two words');
  });

  test('generated passwords: the policy is checked up front', async () => {
    const path = join(dir, 'gen.csv');
    await writeFile(path, 'username\na\nb\n');
    expect(
      (await dryRun(path, { passwords: { kind: 'generated', policy: DEFAULT_PASSWORD_POLICY } })).valid,
    ).toBe(2);
    const error = await errorOf(
      dryRun(path, {
        passwords: { kind: 'generated', policy: { ...DEFAULT_PASSWORD_POLICY, minLength: 3 } },
      }),
    );
    expect(error.name).toBe('InvalidPasswordPolicy');
  });

  test('1,000,000 rows: streams in a few seconds with flat memory', async () => {
    const path = join(dir, 'million.csv');
    const out = createWriteStream(path);
    out.write('username,email,phone_number,given_name,family_name\n');
    for (let i = 0; i < 1_000_000; i++) {
      const line = `user${i},user${i}@example.com,+4477009${String(i % 100_000).padStart(5, '0')},Given${i},Family\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end('user5,dup@example.com,,,\n'); // one duplicate at the very end
    await once(out, 'finish');

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    const started = Date.now();
    const progress: number[] = [];
    const result = await dryRun(path, { passwords: shared, onProgress: (rows) => progress.push(rows) });
    const elapsed = Date.now() - started;
    clearInterval(sampler);
    console.log(`dry run of 1,000,001 rows: ${elapsed} ms, peak RSS ${Math.round(peak / 2 ** 20)} MiB`);

    expect(result.rows).toBe(1_000_001);
    expect(result.invalid).toBe(1);
    expect(result.problems[0]).toMatchObject({
      kind: 'duplicate-username',
      line: 1_000_002,
      index: 1_000_000,
    });
    expect(progress.at(-1)).toBe(1_000_001);
    expect(peak).toBeLessThan(300 * 2 ** 20);
    // Its speed is measured by `npm run bench` (c) against a bare parse in the same run, not here:
    // a wall-clock bound in a test only measures how busy the machine is.
  }, 120_000);
});

describe('FirstLineIndex', () => {
  test('answers like a Map of lower-cased usernames, through growth and hash collisions', () => {
    const index = new FirstLineIndex(false);
    const oracle = new Map<string, number>();
    const got: number[] = [];
    const want: number[] = [];
    // 200,000 keys grow the table many times; every tenth repeats an earlier key in another case.
    for (let i = 0; i < 200_000; i++) {
      const key = i % 10 === 9 ? `User-${(i * 7) % i}`.toUpperCase() : `user-${i}`;
      const expected = oracle.get(key.toLowerCase()) ?? -1;
      if (expected === -1) oracle.set(key.toLowerCase(), i + 2);
      want.push(expected);
      got.push(index.firstLineOrAdd(key, i + 2));
    }
    expect(got).toEqual(want);
    expect(want.filter((line) => line !== -1).length).toBeGreaterThan(10_000);
    expect(index.size).toBe(oracle.size);
    // "costarring" and "liquid" have the same 32-bit FNV-1a hash (1582148253): a hash hit alone is
    // never taken as a duplicate.
    const collisions = new FirstLineIndex(true);
    expect(collisions.firstLineOrAdd('costarring', 1)).toBe(-1);
    expect(collisions.firstLineOrAdd('liquid', 2)).toBe(-1);
    expect(collisions.firstLineOrAdd('liquid', 3)).toBe(2);
    expect(collisions.firstLineOrAdd('costarring', 4)).toBe(1);
  });

  test('case: ASCII and Unicode folded for case-insensitive pools, kept apart otherwise', () => {
    const insensitive = new FirstLineIndex(false);
    expect(insensitive.firstLineOrAdd('ÉLODIE', 2)).toBe(-1);
    expect(insensitive.firstLineOrAdd('élodie', 3)).toBe(2);
    expect(insensitive.firstLineOrAdd('Ann', 4)).toBe(-1);
    expect(insensitive.firstLineOrAdd('aNN', 5)).toBe(4);
    const sensitive = new FirstLineIndex(true);
    expect(sensitive.firstLineOrAdd('Ann', 2)).toBe(-1);
    expect(sensitive.firstLineOrAdd('ann', 3)).toBe(-1);
    expect(sensitive.firstLineOrAdd('Ann', 4)).toBe(2);
    expect(sensitive.size).toBe(2);
  });
});
