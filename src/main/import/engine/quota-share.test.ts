/**
 * The engine in the sign-up budget: two engines on two connections to one database file (the app
 * and a CLI, in effect), each running a job at 40/s on the same account, on one fake clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, whenReached, type EngineBench } from '../../../../test/support/import-engine-setup';
import type { sendSignUp } from '../../cognito/sign-up-call';
import { openDatabase, type Database } from '../../store/database';
import type { ImportEngine, ImportProgress } from '../import-engine';
import { maxInAnyWindow } from '../rate-limiter';

const connection = { region: 'eu-west-1', clientId: 'client123', userPoolId: 'eu-west-1_abc' };
const COLUMN = { kind: 'column' } as const;
const noSecret = (): Promise<string | null> => Promise.resolve(null);

let bench: EngineBench;
let other: Database;

beforeEach(async () => {
  bench = await openEngineBench('signup-desk-quota-share-');
  other = openDatabase(bench.dbPath);
});
afterEach(async () => {
  other.close();
  await bench.close();
});

/** Every call's start on the fake clock; each answer takes 30 ms. */
function recording(starts: number[], onCall: (count: number) => void = () => undefined): typeof sendSignUp {
  return async (_client, _connection, input) => {
    starts.push(bench.time.now());
    onCall(starts.length);
    await bench.time.sleep(30);
    return { kind: 'ok', userSub: `sub-${input.username}`, userConfirmed: false };
  };
}

async function rows(name: string, count: number): Promise<string> {
  const lines = ['username,password'];
  for (let i = 0; i < count; i += 1) lines.push(`${name}-${i},Pass-word-${i}`);
  return bench.csv(`${name}.csv`, lines);
}

function follow(engine: ImportEngine, jobId: () => string, seen: ImportProgress[]): void {
  engine.onProgress((id, progress) => {
    if (id === jobId()) seen.push(progress);
  });
}

describe('jobs on one account share its sign-up quota', () => {
  it('two jobs at 40/s from two processes stay within 50 in every second, and say so', async () => {
    const startsA: number[] = [];
    const startsB: number[] = [];
    // b starts once a has sent for a while alone (fake time jumps while files are read).
    const aAlone = whenReached(80);
    const app = bench.engine({ send: recording(startsA, aAlone.check) });
    const cli = bench.engine({ db: other, send: recording(startsB) });
    let idA = '';
    let idB = '';
    const seenA: ImportProgress[] = [];
    const seenB: ImportProgress[] = [];
    follow(app, () => idA, seenA);
    follow(cli, () => idB, seenB);

    const start = (engine: ImportEngine, path: string): Promise<string> =>
      engine.start({
        path,
        connection,
        resolveSecret: noSecret,
        passwordSource: COLUMN,
        rate: 40,
        concurrency: 8,
      });
    idA = await start(app, await rows('a', 200));
    await aAlone.reached;
    idB = await start(cli, await rows('b', 200));
    const [a, b] = await Promise.all([app.wait(idA), cli.wait(idB)]);

    expect(a.created).toBe(200);
    expect(b.created).toBe(200);
    const all = [...startsA, ...startsB];
    expect(maxInAnyWindow(all)).toBeLessThanOrEqual(50);
    // Alone, a had its full 40/s; while b ran, neither went above its share.
    expect(maxInAnyWindow(startsA.filter((t) => t < (startsB[0] ?? 0)))).toBeGreaterThanOrEqual(37);
    const sharing = seenA.filter((p) => p.sharedWith === 2);
    expect(sharing.length).toBeGreaterThan(0);
    expect(sharing.every((p) => p.quota === 50 && p.allowedRate <= 40)).toBe(true);
    expect(Math.min(...sharing.map((p) => p.allowedRate))).toBe(25);
    expect(seenB.some((p) => p.sharedWith === 2 && p.allowedRate === 25)).toBe(true);
    // Once over, neither job is on the budget any more.
    expect(app.progress(idA)).not.toHaveProperty('sharedWith');
  });

  it("refuses a rate above the profile's quota, and takes one up to a raised quota", async () => {
    const engine = bench.engine({ send: recording([]) });
    const path = await rows('c', 3);
    await expect(
      engine.start({ path, connection, resolveSecret: noSecret, passwordSource: COLUMN, rate: 60 }),
    ).rejects.toMatchObject({
      name: 'InvalidRate',
      message: expect.stringContaining('between 1 and 50') as unknown,
    });
    const raised = { ...connection, userCreationQuota: 200 };
    const jobId = await engine.start({
      path,
      connection: raised,
      resolveSecret: noSecret,
      passwordSource: COLUMN,
      rate: 120,
    });
    expect((await engine.wait(jobId)).created).toBe(3);
  });
});
