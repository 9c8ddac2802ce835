/**
 * How a CSV cell is shown before the import: as it is, except in the column mapped to password,
 * whose values are never echoed on screen (a shoulder, a screen share, a screenshot in a ticket).
 */
export const MASKED = '••••••';

/** The cell as the preview and the mapping table show it; an empty password stays visibly empty. */
export function shownCell(value: string | undefined, target: string | undefined): string {
  const cell = value ?? '';
  return target === 'password' && cell !== '' ? MASKED : cell;
}
