import type { Locator } from '@playwright/test';

/**
 * Types into a field and leaves it, as a person moving on would. Leaving matters: the form shows a
 * field's message on blur, and a click that lands while that message shifts the layout could miss.
 */
export async function fillAndLeave(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.blur();
}
