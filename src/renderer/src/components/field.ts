/** What a Field hands the control it labels: spread it on that one input or select. */
export interface FieldControl {
  id: string;
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
}

/** The ids that describe a control, in reading order, or undefined when there are none. */
export function describedBy(...ids: (string | null | undefined | false)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return present.length > 0 ? present.join(' ') : undefined;
}
