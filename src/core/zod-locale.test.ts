import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validationError } from './errors.ts';

function messages(schema: z.ZodType, input: unknown): Record<string, string> {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a validation error');
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('German zod messages (core/zod-locale.ts, loaded with core/errors.ts)', () => {
  it('replaces the English defaults; field paths stay with the caller', () => {
    const m = messages(
      z.object({
        name: z.string(),
        short: z.string().max(20_000),
        lang: z.enum(['de', 'en']),
        list: z.array(z.string()).min(1),
        mail: z.email(),
        n: z.number().int().min(1),
        kind: z.literal('x'),
        title: z.string().min(1),
      }),
      { short: 'x'.repeat(20_001), lang: 'fr', list: [], mail: 'kein', n: 'drei', kind: 'y', title: '' },
    );
    expect(m).toEqual({
      name: 'Pflichtangabe fehlt (erwartet: Text)',
      short: 'zu lang: höchstens 20.000 Zeichen erlaubt',
      lang: 'ungültiger Wert: erlaubt sind „de“, „en“',
      list: 'mindestens ein Eintrag nötig',
      mail: 'keine gültige E-Mail-Adresse',
      n: 'falscher Typ: erwartet Zahl, erhalten Text',
      kind: 'ungültiger Wert: erwartet „x“',
      title: 'darf nicht leer sein',
    });
    expect(JSON.stringify(m)).not.toMatch(/Invalid|expected|received|Too (big|small)/);
  });

  it('names the expected types of a union', () => {
    expect(messages(z.object({ leika: z.union([z.string(), z.number()]).nullable() }), { leika: { not: 'a key' } })).toEqual({ leika: 'falscher Typ: erwartet Text oder Zahl, erhalten Objekt' });
    expect(messages(z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]), {})).toEqual({ '': 'ungültige Eingabe: passt zu keiner der erlaubten Formen' });
  });

  it('keeps messages given in the schema', () => {
    expect(messages(z.object({ t: z.string().min(1, 'Titel fehlt') }), { t: '' })).toEqual({ t: 'Titel fehlt' });
  });

  it('validationError carries the German message per field', () => {
    const r = z.object({ data: z.array(z.object({ name: z.string() })) }).safeParse({ data: [{}, { name: 1 }] });
    const e = validationError(r.error!.issues);
    expect(e.details!.fields).toEqual([
      { field: 'data.0.name', message: 'Pflichtangabe fehlt (erwartet: Text)' },
      { field: 'data.1.name', message: 'falscher Typ: erwartet Text, erhalten Zahl' },
    ]);
  });
});
