/**
 * A start reads its file twice: the counting pass takes the checksum from the bytes it counts,
 * then the sending pass. The job's stored checksum is the file's SHA-256 once counted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineBench, type EngineBench } from '../../../../test/support/import-engine-setup';
import { fileChecksum } from '../csv-source';
import { PENDING_CHECKSUM } from './job-checksum';

let bench: EngineBench;
beforeEach(async () => {
  bench = await openEngineBench();
});
afterEach(async () => {
  await bench.close();
});

describe('the counting pass', () => {
  it('stores the checksum of the bytes it counted, before anything is sent', async () => {
    const path = await bench.csv('count.csv', ['username', 'a-1', 'a-2', 'has space', 'a-1']);
    let checksumAtFirstSend: string | undefined;
    const engine = bench.engine({
      send: () => {
        checksumAtFirstSend ??= engine.getJob(jobId).sourceSha256;
        return Promise.resolve({ kind: 'ok', userSub: 'sub', userConfirmed: false });
      },
    });
    const jobId = await engine.start({
      path,
      connection: { region: 'us-east-1', clientId: 'client' },
      resolveSecret: () => Promise.resolve(null),
      passwordSource: { kind: 'shared', password: 'Shared-Secret-Pass9' },
      rate: null,
      concurrency: 1,
    });
    expect(engine.getJob(jobId).sourceSha256).toBe(PENDING_CHECKSUM);
    expect(await engine.wait(jobId)).toMatchObject({ rows: 4, valid: 2, created: 2, invalid: 2 });
    const sha256 = await fileChecksum(path);
    expect(checksumAtFirstSend).toBe(sha256);
    expect(engine.getJob(jobId)).toMatchObject({ sourceSha256: sha256, totalRows: 4, validRows: 2 });
  });
});
