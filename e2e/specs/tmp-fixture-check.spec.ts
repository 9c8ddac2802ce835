import { contract } from '@shared/contract';
import { callApi, apiError } from '../support/api';
import { expect, test } from '../support/fixtures';
import type { Handlers } from '../../src/main/ipc/dispatch';

let generation = 0;
test.use({
  harnessOptions: {
    createServices: () => {
      generation += 1;
      const g = generation;
      const h: Record<string, () => Promise<unknown>> = {};
      for (const c of Object.keys(contract)) h[c] = () => Promise.reject(new Error('x'));
      h['profiles:list'] = async () => ({ profiles: [], activeId: g === 1 ? null : `gen${g}` });
      return { handlers: h as unknown as Handlers, close() {} };
    },
  },
});

test('fixtures wire up', async ({ page, pool, restartApp, saveScreenshot, app }) => {
  expect(app.mode).toBe('harness');
  expect(await callApi(page, 'profiles', 'list')).toEqual({ profiles: [], activeId: null });
  expect((await apiError(page, 'profiles', 'setActive', { id: 1 })).name).toBe('InvalidRequest');
  const p = await restartApp();
  expect(await callApi(p, 'profiles', 'list')).toEqual({ profiles: [], activeId: 'gen2' });
  expect(await pool.userExists('nobody')).toBe(false);
  expect(pool.clientSecret.length).toBeGreaterThan(10);
  await saveScreenshot('after restart');
});
