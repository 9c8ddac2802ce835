/**
 * A job's checksum while it is not known yet: a new job is stored before its file is hashed (the
 * counting pass takes the checksum from the bytes it reads), and no row is sent before that.
 */
import type { Database } from '../../store/database';

export const PENDING_CHECKSUM = '';

/** The job store fixes the checksum at creation; this one UPDATE sets it once it is known. */
export function storeChecksum(db: Database, jobId: string, sha256: string): void {
  db.prepare('UPDATE import_jobs SET source_sha256 = ? WHERE id = ?').run(sha256, jobId);
}
