import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import type { AppContext } from '../../core/context.ts';
import type { AppRouter } from '../../core/http/app.ts';
import { execRows } from '../../core/db/index.ts';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import { loginAs, type TestLogin } from '../../../test/helpers/auth.ts';
import { module as catalogModule } from '../catalog/index.ts';
import { AI_DISCLOSURE } from './review/reply.ts';
import { cliActor } from '../../core/auth/index.ts';
import { trainModel } from './triage/index.ts';
import { syntheticRows } from './triage/fixtures.ts';

const INVOICES = resolve(import.meta.dirname, '../../../../shared/data/invoices');

const question = Buffer.from(
  'From: Erika Muster <erika@example.org>\r\nTo: poststelle@northeim.example\r\nSubject: Personalausweis beantragen\r\nMessage-ID: <frage-1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGuten Tag, ich brauche einen neuen Personalausweis. Was muss ich mitbringen und wie lange dauert das?\r\n',
);

/** Several topics at once: the mail triage abstains and the mail goes to review. */
const unclear = Buffer.from(
  'From: Max Muster <max@example.org>\r\nTo: poststelle@northeim.example\r\nSubject: Hinweis\r\nMessage-ID: <hinweis-1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSperrmüll an der Ecke, Falschparker auf dem Gehweg und laute Musik nachts, außerdem Fragen zu Wohngeld und Bauantrag.\r\n',
);

describe.skipIf(!existsSync(INVOICES))(`mailroom upload, review queue and replies (${testDbKind()})`, () => {
  let ctx: AppContext;
  let app: AppRouter;
  let clerk: TestLogin;
  let council: TestLogin;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-mr-routes-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir, LOTSE_DEMO: 'on' });
    await catalogModule.seedDemo!(ctx);
    app = buildApp(ctx);
    clerk = await loginAs(app, ctx, ['clerk']);
    council = await loginAs(app, ctx, ['council']);
  }, 60_000);
  afterAll(async () => {
    await ctx?.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (files: { name: string; body: Buffer }[], who: TestLogin) => {
    const form = new FormData();
    form.set('_csrf', who.csrf);
    for (const f of files) form.append('files', new Blob([new Uint8Array(f.body)]), f.name);
    return app.request('/verwaltung/posteingang/hochladen', { method: 'POST', headers: { cookie: who.cookie }, body: form });
  };

  it('upload page needs mailroom.process and works as a plain multipart form', async () => {
    expect((await app.request('/verwaltung/posteingang/hochladen', { headers: { cookie: council.cookie } })).status).toBe(403);
    const html = await (await app.request('/verwaltung/posteingang/hochladen', { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<input[^>]*type="file"[^>]*multiple/);
  });

  it('uploads many files at once, each with status and reason', async () => {
    const res = await upload(
      [
        { name: 'rechnung.xml', body: readFileSync(join(INVOICES, 'kosit-01.01a-ubl.xml')) },
        { name: 'leer.pdf', body: Buffer.alloc(0) },
        { name: 'frage.eml', body: question },
        { name: 'hinweis.eml', body: unclear },
        { name: 'rechnung-nochmal.xml', body: readFileSync(join(INVOICES, 'kosit-01.01a-ubl.xml')) },
      ],
      clerk,
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Ergebnis (5 Dateien)');
    for (const label of ['Zugeordnet', 'Abgelehnt', 'Zur Prüfung', 'Doppelt']) expect(html).toContain(label);
    const rows = await execRows<{ source: string; status: string }>(ctx.db, sql`SELECT source, status FROM documents ORDER BY id`);
    // The question goes to the Bürgerbüro by the mail triage's keywords; the mixed mail abstains.
    expect(rows.map((r) => r.status)).toEqual(['routed', 'rejected', 'routed', 'review']);
    expect(rows.every((r) => r.source === 'upload')).toBe(true);
  });

  it('an empty upload gets a visible error', async () => {
    const res = await upload([], clerk);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Bitte mindestens eine Datei auswählen.');
  });

  it('review queue: the correction routes the item and becomes a training example (audited)', async () => {
    const html = await (await app.request('/verwaltung/posteingang/pruefen', { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('Prüfwarteschlange');
    expect(html).toContain('Noch kein Modell trainiert');
    const [doc] = await execRows<{ id: string }>(ctx.db, sql`SELECT id FROM documents WHERE status = 'review'`);
    expect(html).toContain(`Dokument ${doc!.id}: hinweis.eml`);
    expect(html).toContain('Die drei wahrscheinlichsten Kategorien');
    expect(html).toMatch(/Ordnungsamt \d+ % · /);

    const res = await app.request(`/verwaltung/posteingang/pruefen/${doc!.id}`, {
      method: 'POST',
      headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: clerk.csrf, category: 'Ordnungsamt', department: 'ordnung' }).toString(),
    });
    expect(res.status).toBe(303);
    const [after] = await execRows<{ status: string; category: string; department: string }>(ctx.db, sql`SELECT status, category, department FROM documents WHERE id = ${doc!.id}`);
    expect(after).toEqual({ status: 'routed', category: 'Ordnungsamt', department: 'ordnung' });
    const examples = await execRows<{ category: string; source: string; text: string; model_name: string }>(ctx.db, sql`SELECT category, source, text, model_name FROM triage_examples`);
    expect(examples).toHaveLength(1);
    // an e-mail trains the mail model
    expect(examples[0]).toMatchObject({ category: 'Ordnungsamt', source: 'correction', model_name: 'mail' });
    expect(examples[0]!.text).toContain('Sperrmüll');
    const audit = await execRows<{ action: string }>(ctx.db, sql`SELECT action FROM audit_log WHERE action IN ('document.review', 'triage_example.correct')`);
    expect(audit.map((a) => a.action).sort()).toEqual(['document.review', 'triage_example.correct']);
    // a second decision on the same item is refused
    const again = await app.request(`/verwaltung/posteingang/pruefen/${doc!.id}`, {
      method: 'POST',
      headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: clerk.csrf, category: 'Bürgerbüro', department: 'buergerdienste' }).toString(),
    });
    expect(again.status).toBe(409);
  });

  it('"Modell neu trainieren" queues the retrain job once per model (default and mail)', async () => {
    const post = () => app.request('/verwaltung/posteingang/pruefen/neu-trainieren', { method: 'POST', headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrf } });
    expect((await post()).headers.get('location')).toContain('retrain=1');
    expect((await post()).headers.get('location')).toContain('retrain=pending');
    const jobs = await execRows<{ model: string }>(ctx.db, sql`SELECT payload->>'modelName' AS model FROM jobs WHERE queue = 'mailroom.triage-retrain' ORDER BY id`);
    expect(jobs.map((j) => j.model)).toEqual(['default', 'mail']);
  });

  it('drafts a reply from the catalog and sends the edited text via the outbox with the AI disclosure', async () => {
    const [doc] = await execRows<{ id: string }>(ctx.db, sql`SELECT id FROM documents WHERE kind = 'email' ORDER BY id`);
    const html = await (await app.request(`/verwaltung/posteingang/${doc!.id}/antwort`, { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('AW: Personalausweis beantragen');
    expect(html).toContain('/leistungen/');
    const res = await app.request(`/verwaltung/posteingang/${doc!.id}/antwort`, {
      method: 'POST',
      headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: clerk.csrf, subject: 'AW: Personalausweis beantragen', text: 'Guten Tag,\n\nbitte buchen Sie einen Termin im Bürgerbüro.\n\nMit freundlichen Grüßen' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Die Antwort liegt im Postausgang.');
    const [mail] = await execRows<{ to_address: string; text_body: string }>(ctx.db, sql`SELECT to_address, text_body FROM outbox`);
    expect(mail!.to_address).toBe('erika@example.org');
    expect(mail!.text_body).toContain(AI_DISCLOSURE);
    const audit = await execRows<{ summary: Record<string, unknown> }>(ctx.db, sql`SELECT summary FROM audit_log WHERE action = 'document.reply'`);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.summary)).not.toContain('erika');
  });

  it('with an active model the queue shows its version, held-out figures, expected automatic share and top-3 per item', async () => {
    await trainModel(ctx, cliActor, { name: 'default', rows: syntheticRows(150) });
    // A letter (not an e-mail): classified by the active model, which abstains on the mixed text.
    const mixed = Buffer.from('Beschwerde\nSperrmüll an der Ecke, Falschparker auf dem Gehweg und laute Musik nachts.\n');
    await upload([{ name: 'gemischt.txt', body: mixed }], clerk);
    const html = await (await app.request('/verwaltung/posteingang/pruefen', { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('default v1');
    expect(html).toContain('Erwarteter Anteil automatisch zugeordnet');
    expect(html).toContain('Die drei wahrscheinlichsten Kategorien');
    expect(html).toMatch(/(abfall|parken|laerm) \d+ % · /);
  });

  it('shows both model panels and rolls a model back to an older version through the page (mailroom.configure, audited)', async () => {
    // `default` v1 exists from the test above; v2 is trained now and becomes active.
    await trainModel(ctx, cliActor, { name: 'default', rows: syntheticRows(120) });
    await trainModel(ctx, cliActor, { name: 'mail', rows: syntheticRows(100) });
    const lead = await loginAs(app, ctx, ['department_lead']);
    const html = await (await app.request('/verwaltung/posteingang/pruefen', { headers: { cookie: lead.cookie } })).text();
    expect(html).toContain('E-Mail-Modell „mail“');
    expect(html).toContain('Allgemeines Modell „default“');
    expect(html).toContain('mail v1');
    expect(html).toContain('default v2');
    expect(html).toContain('Versionen von „default“');
    expect(html.match(/Diese Version aktivieren/g)?.length).toBeGreaterThanOrEqual(1);
    // A clerk sees the figures but no rollback and may not activate.
    const clerkHtml = await (await app.request('/verwaltung/posteingang/pruefen', { headers: { cookie: clerk.cookie } })).text();
    expect(clerkHtml).toContain('E-Mail-Modell „mail“');
    expect(clerkHtml).not.toContain('Diese Version aktivieren');
    const post = (who: TestLogin, form: Record<string, string>) =>
      app.request('/verwaltung/posteingang/pruefen/modell-aktivieren', {
        method: 'POST',
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    expect((await post(clerk, { _csrf: clerk.csrf, name: 'default', version: '1' })).status).toBe(403);
    expect((await post(lead, { name: 'default', version: '1' })).status).toBe(403); // no CSRF token
    expect((await post(lead, { _csrf: lead.csrf, name: 'default', version: '9' })).status).toBe(404);
    const res = await post(lead, { _csrf: lead.csrf, name: 'default', version: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/verwaltung/posteingang/pruefen?aktiviert=default%401');
    const active = await execRows<{ name: string; version: number }>(ctx.db, sql`SELECT name, version FROM triage_models WHERE active ORDER BY name`);
    expect(active.map((r) => `${r.name}@${r.version}`)).toEqual(['default@1', 'mail@1']);
    const audit = await execRows<{ object_id: string; summary: unknown }>(ctx.db, sql`SELECT object_id, summary FROM audit_log WHERE action = 'triage_model.activate' ORDER BY seq DESC LIMIT 1`);
    expect(audit[0]).toMatchObject({ object_id: 'default@1', summary: { previous: 2, active: 1 } });
    const after = await (await app.request(res.headers.get('location')!, { headers: { cookie: lead.cookie } })).text();
    expect(after).toContain('Modell default@1 ist jetzt aktiv.');
    expect(after).toContain('default v1 (');
  });
});
