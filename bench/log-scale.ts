/**
 * (l) The log at scale: a generated 1,000,000-entry log against an empty one and a 1,000-entry one.
 * Figures: app start (createServices + the log screen's first page) with 1M entries / with an empty
 * log (goal ≈ 1: start must not scan the log), and each filter's first page at 1M — absolute ms
 * (goal < 200 ms) and the ratio to the same query on the 1k-entry log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogQuery, Outcome } from '@shared/contract';
import { openDatabase, transaction, type Database } from '../src/main/store/database';
import { createLogStore, type NewLogEntry } from '../src/main/log/log-store';

/** A deterministic PRNG (mulberry32) so every run builds the same log. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const RARE_ERROR = 'CodeDeliveryFailureException';
const ROWS_PER_JOB = 10_000;
const START_MS = Date.parse('2026-01-01T00:00:00.000Z');
const SPAN_MS = 120 * 86_400_000;

/** The i-th of `rows` generated entries: mostly import rows in jobs of 10k, some form and CLI. */
function generated(i: number, rows: number, random: () => number): NewLogEntry {
  const r = random();
  const time = new Date(START_MS + Math.floor((SPAN_MS * i) / rows)).toISOString();
  const job = Math.floor(i / ROWS_PER_JOB);
  const source = i % 50 === 0 ? 'form' : i % 50 === 1 ? 'cli' : 'import';
  const username = `user${i}@example${i % 97}.com`;
  let outcome: Outcome = 'created';
  let errorName: string | undefined;
  let errorMessage: string | undefined;
  if (i % 200_000 === 7) {
    outcome = 'rejected';
    errorName = RARE_ERROR;
    errorMessage = 'Unable to deliver the confirmation code.';
  } else if (r < 0.05) {
    outcome = 'exists';
    errorName = 'UsernameExistsException';
    errorMessage = 'User already exists';
  } else if (r < 0.09) {
    outcome = 'rejected';
    errorName = 'InvalidPasswordException';
    errorMessage = 'Password did not conform with policy: Password not long enough';
  } else if (r < 0.12) {
    outcome = 'invalid';
    errorName = 'InvalidParameterException';
    errorMessage = 'Invalid phone number format.';
  } else if (r < 0.13) {
    outcome = 'error';
    errorName = 'InternalErrorException';
    errorMessage = 'Internal error';
  }
  const created = outcome === 'created';
  const sms = created && r > 0.8;
  const hex = (n: number): string => Math.floor(random() * 16 ** n).toString(16).padStart(n, '0');
  return {
    time,
    source,
    ...(source === 'import' && { jobId: `job-${String(job).padStart(4, '0')}`, rowNumber: (i % ROWS_PER_JOB) + 2 }),
    profileId: 'p1',
    profileName: i % 3 === 0 ? 'Staging EU' : 'Production EU',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbC123xyz',
    clientId: '1example23456789',
    username,
    outcome,
    ...(created && {
      userSub: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(8)}${hex(4)}`,
      userConfirmed: false,
      deliveryMedium: sms ? 'SMS' : 'EMAIL',
      destination: sms ? '+*******0199' : `u***@e***`,
      attributeName: sms ? 'phone_number' : 'email',
    }),
    ...(errorName !== undefined && { errorName, errorMessage }),
    requestId: `${hex(8)}-${hex(4)}-${hex(4)}`,
  };
}

/** Fills `db` with `rows` generated entries, in transactions of 50k rows through the store's own record(). */
export function fillLog(db: Database, rows: number): void {
  const log = createLogStore(db);
  const random = prng(42);
  const CHUNK = 50_000;
  for (let start = 0; start < rows; start += CHUNK) {
    transaction(db, () => {
      for (let i = start; i < Math.min(rows, start + CHUNK); i++) log.record(generated(i, rows, random));
    });
  }
}
