/**
 * Bounds for what zod cannot bound before parsing. An array's `.max()` is checked before its
 * elements are, but a record has no `.max()` and parses every key first: a mapping with a million
 * columns held main for seconds. `boundedRecord` counts the keys first and refuses the rest.
 */
import { z } from 'zod';

/** The most keys each bounded record takes; the contract's bounds test reads it. */
export const recordBounds = z.registry<{ maxKeys: number }>();

/** A string → string record of at most `maxKeys` keys; `what` names them in the message. */
export function boundedRecord<K extends z.ZodType<string, string>, V extends z.ZodType>(
  key: K,
  value: V,
  maxKeys: number,
  what: string,
) {
  const record = z.record(key, value);
  const bounded = z.preprocess<unknown, typeof record, z.input<typeof record>>((input, ctx) => {
    if (typeof input === 'object' && input !== null) {
      let count = 0;
      // for…in stops counting at the bound instead of building a million-entry key array.
      for (const name in input) {
        if (!Object.hasOwn(input, name)) continue;
        if (++count > maxKeys) {
          ctx.addIssue({
            code: 'too_big',
            origin: 'object',
            maximum: maxKeys,
            inclusive: true,
            input,
            message: `At most ${maxKeys} ${what}.`,
          });
          return z.NEVER;
        }
      }
    }
    return input;
  }, record);
  recordBounds.add(bounded, { maxKeys });
  return bounded;
}
