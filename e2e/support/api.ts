/**
 * Calls the app's window.api from a spec, typed by the shared Api: `await callApi(page,
 * 'profiles', 'list')`. A rejected call comes back as the same ApiError the renderer sees (name,
 * message, hint, fields), so specs can assert Cognito's and our error names.
 */
import type { Page } from '@playwright/test';
import type { Api } from '@shared/api';
import { ApiError, type Envelope } from '@shared/envelope';

type Domain = keyof Api;
type Call<D extends Domain, F extends keyof Api[D]> = Api[D][F] extends (...args: infer A) => Promise<infer R>
  ? { args: A; result: R }
  : never;

export async function callApi<D extends Domain, F extends keyof Api[D] & string>(
  page: Page,
  domain: D,
  fn: F,
  ...args: Call<D, F>['args']
): Promise<Call<D, F>['result']> {
  const envelope = await page.evaluate(
    async ({ domain, fn, args }) => {
      type Fn = (...a: unknown[]) => Promise<unknown>;
      const api = (globalThis as unknown as { api: Record<string, Record<string, Fn>> }).api;
      try {
        const target = api[domain]?.[fn];
        if (target === undefined) throw new Error(`window.api.${domain}.${fn} does not exist`);
        return { ok: true as const, value: await target(...args) };
      } catch (error) {
        const e = error as Error & { hint?: string; requestId?: string; fields?: Record<string, string> };
        return {
          ok: false as const,
          error: {
            name: e.name,
            message: e.message,
            ...(e.hint !== undefined && { hint: e.hint }),
            ...(e.requestId !== undefined && { requestId: e.requestId }),
            ...(e.fields !== undefined && { fields: e.fields }),
          },
        };
      }
    },
    { domain: domain, fn: fn, args: args },
  );
  const result = envelope as Envelope<unknown>;
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

/** The error a call rejects with (fails the test if it resolves). */
export async function apiError<D extends Domain, F extends keyof Api[D] & string>(
  page: Page,
  domain: D,
  fn: F,
  ...args: unknown[]
): Promise<ApiError> {
  try {
    await (callApi as (page: Page, domain: D, fn: F, ...rest: unknown[]) => Promise<unknown>)(
      page,
      domain,
      fn,
      ...args,
    );
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`window.api.${String(domain)}.${fn} resolved; an error was expected`);
}
