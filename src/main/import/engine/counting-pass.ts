/**
 * The pass before sending: every row of the job's scope judged and counted, and the file's
 * SHA-256 taken from the same bytes — so a start reads the file twice in all (this pass and the
 * sending one).
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../store/database';
import { readCsvRowBatches } from '../csv-source';
import type { JobRecord, JobStore } from '../job-store';
import type { PasswordSource } from '../row-builder';
import { PENDING_CHECKSUM, storeChecksum } from './job-checksum';
import { sourceChanged } from './preflight';
import { createJobRowJudge, jobReadOptions } from './row-source';

export interface Counted {
  rows: number;
  valid: number;
}

/**
 * Counts the job's rows (valid or not) and stores the totals; stores the checksum when the job has
 * none yet, and stops with SourceChanged when it has one the bytes do not match.
 */
export async function countRows(
  db: Database,
  store: Pick<JobStore, 'hasSelection' | 'inSelection' | 'statesBetween' | 'highestIndex' | 'setTotals'>,
  job: JobRecord,
  passwordSource: PasswordSource,
): Promise<Counted> {
  const judge = createJobRowJudge(store, job, passwordSource);
  const hash = createHash('sha256');
  let rows = 0;
  let valid = 0;
  // In batches: one await per chunk of the file instead of one per row (see readCsvRowBatches).
  for await (const batch of readCsvRowBatches(job.sourcePath, {
    ...jobReadOptions(job),
    onBytes: (chunk) => hash.update(chunk),
  }))
    for (const row of batch) {
      const built = judge(row);
      if (built === null) continue;
      rows += 1;
      if (built.problems.length === 0) valid += 1;
    }
  const sha256 = hash.digest('hex');
  if (job.sourceSha256 === PENDING_CHECKSUM) storeChecksum(db, job.id, sha256);
  else if (sha256 !== job.sourceSha256) throw sourceChanged(job.sourcePath);
  // After the checksum: a job with totals always has its checksum (a resume checks it).
  store.setTotals(job.id, rows, valid);
  return { rows, valid };
}
