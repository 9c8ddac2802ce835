/**
 * One plan for the dry run and the start: the rows the dry run calls valid are the rows the job
 * sends, duplicates judged by the same rule.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, type EngineBench } from '../../../test/support/import-engine-setup';
import { dryRunPlan } from './dry-run';
import { prepareImportPlan } from './import-plan';

let bench: EngineBench;
beforeEach(async () => {
  bench = await openEngineBench();
});
afterEach(async () => {
  await bench.close();
});

describe('prepareImportPlan', () => {
  it('gives the dry run and the start the same mapping, and they agree on every row', async () => {
    const path = await bench.csv('plan.csv', [
      'user;mail',
      'alice;alice@example.com',
      'Alice;alice2@example.com',
      'bob;not-an-email',
      'carol;carol@example.com',
    ]);
    const plan = await prepareImportPlan(path, {
      passwordSource: { kind: 'shared', password: 'Shared-Secret-Pass9' },
      overrides: { user: 'username', mail: 'email' },
    });
    expect(plan).toMatchObject({ delimiter: ';', encoding: 'utf-8', headers: ['user', 'mail'] });

    const dry = await dryRunPlan(plan, {});
    expect(dry).toMatchObject({ rows: 4, valid: 2, invalid: 2 });
    expect(dry.problems.map((p) => p.kind).sort()).toEqual(['duplicate-username', 'invalid-attribute']);

    const sent: string[] = [];
    const engine = bench.engine({
      send: (_client, _connection, input) => {
        sent.push(input.username);
        return Promise.resolve({ kind: 'ok', userSub: `sub-${input.username}`, userConfirmed: false });
      },
    });
    const jobId = await engine.start({
      plan,
      connection: { region: 'us-east-1', clientId: 'client' },
      resolveSecret: () => Promise.resolve(null),
      rate: null,
      concurrency: 2,
    });
    expect(await engine.wait(jobId)).toMatchObject({ rows: 4, valid: dry.valid, created: 2, invalid: 2 });
    expect(sent.sort()).toEqual(['alice', 'carol']);
    expect(engine.getJob(jobId).settings).toMatchObject({ delimiter: ';', mapping: plan.mapping });
  });
});
