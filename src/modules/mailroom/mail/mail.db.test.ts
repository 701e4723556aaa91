import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../../core/auth/actor.ts';
import type { AppContext } from '../../../core/context.ts';
import { setSetting } from '../../../core/settings/index.ts';
import { createTestContext } from '../../../../test/helpers/context.ts';
import { trainModel } from '../triage/train-model.ts';
import { MAIL_DEPARTMENTS_SETTING, triageMail } from './triage-mail.ts';

const MAIL_DIR = join(process.cwd(), '..', 'shared', 'data', 'mail');
const eml = (subject: string, body: string) => Buffer.from(`From: a@example.org\r\nTo: poststelle@northeim.example.org\r\nSubject: ${subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`, 'utf8');

describe('mail triage with the database', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.database.close());

  it.skipIf(!existsSync(MAIL_DIR))('maps categories to the town departments and honours the settings table', async () => {
    const raw = readFileSync(join(MAIL_DIR, '01.eml'));
    expect((await triageMail(ctx, raw)).department).toBe('buergerdienste');
    await setSetting(ctx.db, MAIL_DEPARTMENTS_SETTING, { Bürgerbüro: 'ordnung', Bauen: 'gibt-es-nicht' }, null);
    expect((await triageMail(ctx, raw)).department).toBe('ordnung');
    expect((await triageMail(ctx, readFileSync(join(MAIL_DIR, '03.eml')))).department).toBeNull();
    await setSetting(ctx.db, MAIL_DEPARTMENTS_SETTING, {}, null);
  });

  it('uses an active trained mail model instead of the keyword list', async () => {
    const rows = Array.from({ length: 90 }, (_, i) => {
      const c = ['Bürgerbüro', 'Soziales', 'Bauen'][i % 3]!;
      const text = { Bürgerbüro: 'Ich brauche einen neuen Reisepass', Soziales: 'Antrag auf Wohngeld gestellt', Bauen: 'Bauantrag für eine Garage' }[c]!;
      return { id: String(i), subject: null, text: `${text} (${i % 4})`, category: c };
    });
    await trainModel(ctx, cliActor, { name: 'mail', rows });
    const r = await triageMail(ctx, eml('Frage', 'Wie lange dauert mein Bauantrag für die Garage?'), { modelName: 'mail' });
    expect(r.decidedBy).toBe('model:mail@1');
    expect(r.top[0]!.category).toBe('Bauen');
    // Rules still come first.
    expect((await triageMail(ctx, eml('Frage', 'Kassenzeichen 2026.0001.0002'), { modelName: 'mail' })).decidedBy).toBe('rule:kassenzeichen');
  });
});
