import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfirmationCode } from './confirmation-codes';

const dir = mkdtempSync(join(tmpdir(), 'codes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, '.cognito', 'db'), { recursive: true });
// The shape cognito-local 5 writes (only the fields read here).
writeFileSync(
  join(dir, '.cognito', 'db', 'local_abc.json'),
  JSON.stringify({
    Users: {
      alice: { Username: 'alice', UserStatus: 'UNCONFIRMED', ConfirmationCode: '123456', Attributes: [] },
      'a1b2-sub': {
        Username: 'a1b2-sub',
        UserStatus: 'UNCONFIRMED',
        ConfirmationCode: '654321',
        Attributes: [{ Name: 'email', Value: 'bob@example.com' }],
      },
      carol: { Username: 'carol', UserStatus: 'CONFIRMED', Attributes: [] },
    },
  }),
);

describe('readConfirmationCode', () => {
  it('finds the code by username, or by the email a sub-filed user signed up with', async () => {
    expect(await readConfirmationCode(dir, 'local_abc', 'alice')).toEqual({
      username: 'alice',
      code: '123456',
      userStatus: 'UNCONFIRMED',
    });
    expect(await readConfirmationCode(dir, 'local_abc', 'bob@example.com')).toMatchObject({
      username: 'a1b2-sub',
      code: '654321',
    });
  });

  it('answers null for a confirmed user, an unknown user or pool, and a pool id that is a path', async () => {
    expect(await readConfirmationCode(dir, 'local_abc', 'carol')).toBeNull();
    expect(await readConfirmationCode(dir, 'local_abc', 'nobody')).toBeNull();
    expect(await readConfirmationCode(dir, 'local_none', 'alice')).toBeNull();
    expect(await readConfirmationCode(dir, '../db/local_abc', 'alice')).toBeNull();
  });
});
