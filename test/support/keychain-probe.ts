/**
 * Child-process probe for the keychain tests: runs a store/read/remove through the real
 * SecretStore in whatever D-Bus environment it was started in, and prints what happened as JSON.
 * (A separate process because a bus address is fixed once libsecret has connected.)
 * Usage: node --import tsx keychain-probe.ts <service>
 */
import { createKeytarSecretStore } from '../../src/main/keychain/secret-store';

interface Step {
  op: string;
  ok: boolean;
  value?: string | null;
  name?: string;
  message?: string;
  hint?: string;
}

async function step(op: string, run: () => Promise<string | null | void>): Promise<Step> {
  try {
    const value = await run();
    return { op, ok: true, ...(value !== undefined && { value }) };
  } catch (error) {
    const e = error as Error & { hint?: string };
    return { op, ok: false, name: e.name, message: e.message, ...(e.hint !== undefined && { hint: e.hint }) };
  }
}

const service = process.argv[2] ?? 'SignUp Desk probe';
const secret = process.env['PROBE_SECRET'] ?? 'probe-secret';
const store = createKeytarSecretStore(service);
const steps = [
  await step('set', () => store.set('probe', secret)),
  await step('get', () => store.get('probe')),
  await step('remove', () => store.remove('probe')),
];
process.stdout.write(JSON.stringify(steps));
