import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCognitoClient } from '../cognito/client';
import { sendSignUp } from '../cognito/sign-up-call';
import { createKeytarSecretStore } from '../keychain/secret-store';
import { createProfileStore, type ProfileStore } from '../profiles/profile-store';
import { connectionFor } from '../signup/sign-up-service';
import { createSandbox, SANDBOX_PROFILE_NAME, type Sandbox } from './sandbox';

let home: string;
let profiles: ProfileStore;
let sandbox: Sandbox;
const secrets = createKeytarSecretStore(`SignUp Desk sandbox test ${process.pid}`);

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sandbox-'));
  profiles = createProfileStore(home, { secrets });
  sandbox = createSandbox({ home, profiles });
});
afterEach(async () => {
  await sandbox.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('sandbox', () => {
  it('starts a local pool with a secret client and a sandbox profile that signs users up', async () => {
    expect(await sandbox.status()).toEqual({ running: false });
    // The user already has a profile with the sandbox's name: the sandbox takes another.
    await profiles.save({
      name: SANDBOX_PROFILE_NAME,
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_A1',
      clientId: 'abc',
    });

    const [profile, same] = await Promise.all([sandbox.start(), sandbox.start()]);
    expect(same.id).toBe(profile.id);
    expect(profile).toMatchObject({ sandbox: true, hasSecret: true, name: `${SANDBOX_PROFILE_NAME} 2` });
    expect(profile.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await sandbox.status()).toEqual({
      running: true,
      endpoint: profile.endpoint,
      profileId: profile.id,
    });
    expect(JSON.parse(readFileSync(join(home, 'sandbox', '.cognito', 'config.json'), 'utf8'))).toEqual({
      UserPoolDefaults: { UsernameAttributes: [] },
    });

    const connection = await connectionFor(profile, secrets);
    expect(connection.secret).toMatch(/^\w{20,}$/);
    const client = createCognitoClient({ region: profile.region, endpoint: profile.endpoint! });
    // The sandbox pool requires an email and auto-verifies it (SANDBOX_POOL_SETTINGS).
    const input = {
      username: 'sandbox-user',
      password: 'Passw0rd!',
      attributes: [{ name: 'email', value: 'sandbox-user@example.com' }],
      validationData: [],
      clientMetadata: [],
    };
    const result = await sendSignUp(client, connection, input);
    expect(result).toMatchObject({
      kind: 'ok',
      userConfirmed: false,
      codeDeliveryDetails: { destination: 's***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    });
    // The code cognito-local generated, for confirming without a mailbox: from the sandbox and over HTTP.
    const code = await sandbox.confirmationCode('sandbox-user');
    expect(code).toMatch(/^\d{6}$/);
    const overHttp = await fetch(`${profile.endpoint}/__sandbox/codes/${profile.userPoolId}/sandbox-user`);
    expect(await overHttp.json()).toEqual({ username: 'sandbox-user', code, userStatus: 'UNCONFIRMED' });
    expect(await sandbox.confirmationCode('nobody')).toBeNull();

    // The endpoint holds sign-ups to the pool's rules, which cognito-local alone would not.
    const refused = await sendSignUp(client, connection, { ...input, username: 'weak', password: 'abc' });
    expect(refused).toMatchObject({ kind: 'error', error: { name: 'InvalidPasswordException' } });
    const noEmail = await sendSignUp(client, connection, { ...input, username: 'no-email', attributes: [] });
    expect(noEmail).toMatchObject({
      kind: 'error',
      error: {
        name: 'InvalidParameterException',
        message: expect.stringContaining('email: The attribute is required'),
      },
    });
    const wrongSecret = await sendSignUp(client, { ...connection, secret: 'not-the-secret' }, input);
    expect(wrongSecret).toMatchObject({ kind: 'error', error: { name: 'NotAuthorizedException' } });

    await sandbox.stop();
    expect((await sandbox.status()).running).toBe(false);
    await expect(fetch(`${profile.endpoint}/health`)).rejects.toThrow();

    // A later app start re-uses the same pool, client and profile (and the users in it).
    const again = createSandbox({ home, profiles });
    try {
      const restarted = await again.start();
      expect(restarted).toMatchObject({
        id: profile.id,
        userPoolId: profile.userPoolId,
        clientId: profile.clientId,
        sandbox: true,
        hasSecret: true,
      });
      expect((await profiles.list()).profiles.filter((p) => p.sandbox)).toHaveLength(1);
      const exists = await sendSignUp(
        createCognitoClient({ region: restarted.region, endpoint: restarted.endpoint! }),
        await connectionFor(restarted, secrets),
        input,
      );
      expect(exists).toMatchObject({ kind: 'error', error: { category: 'exists' } });
    } finally {
      await again.stop();
    }
    await profiles.delete(profile.id);
    expect(existsSync(join(home, 'sandbox', '.cognito'))).toBe(true);
  });

  it('reports a broken cognito-local clearly', async () => {
    const broken = createSandbox({ home, profiles, cognitoLocalEntry: join(home, 'missing.js') });
    await expect(broken.start()).rejects.toThrow(/cognito-local did not start.*exited/s);
    expect((await broken.status()).running).toBe(false);
  });
});
