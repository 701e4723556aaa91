import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../boot.ts';
import type { AppContext } from '../core/context.ts';
import { setSetting } from '../core/settings/index.ts';
import { createTestContext } from '../../test/helpers/context.ts';

describe('/datenschutz lists the processings declared by the modules', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext({ LOTSE_APPT_RETENTION_DAYS: '21', LOTSE_PROFILE_INACTIVE_MONTHS: '6' });
  });
  afterAll(() => ctx.database.close());

  it('shows the town text first, then one section per record with the configured periods, then the rights', async () => {
    await setSetting(ctx.db, 'legal.datenschutz', 'Text der Stadt zum Datenschutz.', null);
    await setSetting(ctx.db, 'mailroom.retentionDays', { Sonstiges: 180, Antrag: 730, '*': 1095 }, null);
    const html = await (await buildApp(ctx).request('/datenschutz')).text();
    const order = ['Text der Stadt zum Datenschutz.', 'Verarbeitungen in Lotse', 'Online-Terminbuchung', 'Ihre Rechte'].map((s) =>
      html.indexOf(s),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('21 Tage nach dem Ende des Termins');
    expect(html).toContain('6 Monate nicht genutzt');
    expect(html).toContain('Antrag: 2 Jahre; Sonstiges: 180 Tage; alle anderen Kategorien: 3 Jahre');
    expect(html).toContain('id="v-assistant.handover"');
    expect(html).toContain('Art. 6 Abs. 1 lit. a DSGVO');
    expect(html).toContain('href="/ki"');
    expect(html).toContain('href="/mein-northeim/konto"');
    expect(html).toContain(`mailto:${ctx.town.contact.email}`);
    expect(html).toContain('<dt class="kern-description-list-item__key">Speicherdauer</dt>');
  });

  it('has an English version; the town text keeps lang="de"', async () => {
    const html = await (await buildApp(ctx).request('/datenschutz?lang=en')).text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('Privacy policy');
    expect(html).toContain('Processing of personal data in Lotse');
    expect(html).toContain('21 days after the end of the appointment');
    expect(html).toContain('<div lang="de" class="lotse-stack">');
    expect(html).toContain('Your rights');
  });

  it('labels the header sign-in link for staff', async () => {
    const de = await (await buildApp(ctx).request('/')).text();
    expect(de).toMatch(/href="\/anmelden"[^>]*>(?:<!--.*?-->)?Anmeldung für Mitarbeitende</);
    const en = await (await buildApp(ctx).request('/?lang=en')).text();
    expect(en).toContain('Staff sign-in');
  });
});
