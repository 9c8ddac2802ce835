import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPhone } from '@shared/signup-rules';
import { previewSeed, seedTable, writeSeedFile } from './seed-file';

const dir = mkdtempSync(join(tmpdir(), 'seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('seed patterns', () => {
  it('fills {n}, {username} and {domain}, padded, from the start number', () => {
    const table = seedTable({
      count: 3,
      usernameTemplate: 'qa-{n}',
      emailTemplate: '{username}@{domain}',
      domain: 'example.org',
      phonePrefix: '+1555',
      start: 7,
      pad: 3,
    });
    expect(table.headers).toEqual(['username', 'email', 'phone_number']);
    expect(table.row(0)).toEqual(['qa-007', 'qa-007@example.org', '+15550000000007']);
    expect(table.row(2)[0]).toBe('qa-009');
  });

  it('makes phone numbers that pass the E.164 check, even with a long prefix', () => {
    for (const prefix of ['+1', '+44', '+4930123', '+12345678901']) {
      const phone = seedTable({
        count: 1,
        usernameTemplate: 'u{n}',
        phonePrefix: prefix,
        start: 1,
        pad: 0,
      }).row(0)[1];
      expect(phone, prefix).toBeDefined();
      expect(checkPhone(phone ?? '')).toBeNull();
    }
  });

  it('previews at most ten rows but reports the full count', () => {
    const preview = previewSeed({ count: 200, usernameTemplate: 'u{n}', start: 1, pad: 0 });
    expect(preview.count).toBe(200);
    expect(preview.rows).toHaveLength(10);
    expect(preview.headers).toEqual(['username']);
  });

  it('writes every row to a CSV readable only by the user, with no password column', async () => {
    const path = join(dir, 'seed.csv');
    await writeSeedFile(
      {
        count: 1000,
        usernameTemplate: 'load-{n}',
        emailTemplate: '{username}@example.com',
        start: 1,
        pad: 0,
      },
      path,
      dir,
    );
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('username,email');
    expect(lines).toHaveLength(1001);
    expect(lines[1000]).toBe('load-1000,load-1000@example.com');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
