/**
 * Every list, map and string a request can carry has a maximum, so no request (a renderer gone
 * wrong, a script) can make main parse or act on millions of items. Walks each channel's request
 * schema through zod 4's definitions (`schema._zod.def`, https://zod.dev/library-authors).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { recordBounds } from './bounded';
import { contract } from './channels';

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as Def;
}

function maxLength(def: Def): number | undefined {
  const checks = def.checks ?? [];
  for (const check of checks) {
    const checkDef = check._zod.def as { check: string; maximum?: number; length?: number };
    if (checkDef.check === 'max_length') return checkDef.maximum;
    if (checkDef.check === 'length_equals') return checkDef.length;
  }
  return undefined;
}

/** The paths under `schema` of strings, arrays and records without a maximum. */
function unbounded(schema: z.core.$ZodType, path: string, seen = new Set<z.core.$ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = defOf(schema);
  const inner = (child: unknown, at: string) => unbounded(child as z.core.$ZodType, at, seen);
  switch (def.type) {
    case 'string':
      return maxLength(def) === undefined ? [path] : [];
    case 'array':
      return [...(maxLength(def) === undefined ? [path] : []), ...inner(def.element, `${path}[]`)];
    case 'record':
      // A bare record parses every key before any check: only boundedRecord's pipe bounds it.
      return [
        `${path} (record)`,
        ...inner(def.keyType, `${path}{key}`),
        ...inner(def.valueType, `${path}{}`),
      ];
    case 'pipe': {
      const out = defOf(def.out as z.core.$ZodType);
      if (out.type === 'record' && recordBounds.has(schema))
        return [...inner(out.keyType, `${path}{key}`), ...inner(out.valueType, `${path}{}`)];
      return [...inner(def.in, path), ...inner(def.out, path)];
    }
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([key, child]) =>
        inner(child, `${path}.${key}`),
      );
    case 'union':
      return (def.options as unknown[]).flatMap((option, i) => inner(option, `${path}|${i}`));
    case 'intersection':
      return [...inner(def.left, path), ...inner(def.right, path)];
    case 'tuple':
      return (def.items as unknown[]).flatMap((item, i) => inner(item, `${path}[${i}]`));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return inner(def.innerType, path);
    case 'lazy':
      return inner((def.getter as () => unknown)(), path);
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'undefined':
    case 'null':
    case 'transform':
      return [];
    default:
      return [`${path} (unexpected ${def.type}: teach this test how to bound it)`];
  }
}

describe('the contract bounds every request', () => {
  it('gives every string, list and map a request can carry a maximum', () => {
    const missing = Object.entries(contract).flatMap(([channel, { request }]) => unbounded(request, channel));
    expect(missing).toEqual([]);
  });

  it('notices an unbounded string, list or map (the walk itself works)', async () => {
    const { z: zod } = await import('zod');
    const probe = zod.object({
      s: zod.string(),
      a: zod.array(zod.number()),
      r: zod.record(zod.string().max(1), zod.string().max(1)),
      ok: zod.array(zod.string().max(3)).max(2),
    });
    expect(unbounded(probe, 'probe')).toEqual(['probe.s', 'probe.a', 'probe.r (record)']);
  });
});
