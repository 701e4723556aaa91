import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import { cliActor, type Actor } from '../../core/auth/actor.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { loginAs } from '../../../test/helpers/auth.ts';
import {
  DEMO_CATALOG_FILE,
  getCatalogIndex,
  getService,
  getServiceForEditing,
  importCatalog,
  listServices,
  module as catalogModule,
  nextSteps,
  publishService,
  saveServiceDraft,
  saveSynonym,
  searchServices,
} from './index.ts';

const FIX = join(import.meta.dirname, 'fixtures');
const clerk: Actor = { type: 'user', id: 'u-clerk', roles: ['clerk'], department: null };
const lead: Actor = { type: 'user', id: 'u-lead', roles: ['department_lead'], department: null };

async function validationOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('catalog import (DLDB and own format)', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.database.close());

  it('imports a DLDB export with locations beside it, sanitising HTML and keeping the attribution', async () => {
    const r = await importCatalog(ctx, cliActor, join(FIX, 'dldb/services_de.json'), { replace: true });
    expect(r).toEqual({ imported: 3, format: 'dldb' });
    const s = await getService(ctx, '1063441');
    expect(s).toMatchObject({ title: 'Personalausweis', leika: '99008001000000', url: 'https://stadt.muenchen.de/buergerservice/#/services/1063441', fees: '46 Euro' });
    expect(s!.descriptionHtml).not.toMatch(/script|onclick|javascript:/i);
    expect(s!.description).toContain('Gültig 10 Jahre.');
    expect(s!.description).not.toContain('alert');
    expect(s!.keywords).toEqual(['Perso', 'Ausweis', 'ID-Karte']);
    expect(s!.attribution).toMatch(/Landeshauptstadt München/);
    expect(s!.locations).toEqual([{ id: '10489', name: 'Bürgerbüro Ruppertstraße', address: 'Ruppertstraße 19, 80337 München', openingHours: null }]);
    // Unknown location ids are skipped, not fatal.
    expect((await getService(ctx, '1063565'))!.locations).toEqual([]);
  });

  it('lists services A–Z in the interface format', async () => {
    const list = await listServices(ctx);
    expect(list.map((s) => s.title)).toEqual(['Führungszeugnis', 'Personalausweis', 'Shortlane 15 min']);
    expect(Object.keys(list[0]!).sort()).toEqual(['id', 'leika', 'title', 'url']);
  });

  it('rejects a file with a bad field naming line and field, and stores nothing', async () => {
    const before = await listServices(ctx);
    const e = await validationOf(importCatalog(ctx, cliActor, join(FIX, 'malformed-field.json'), { replace: true }));
    expect(e.code).toBe('validation');
    const fields = e.details!.fields!.map((f) => f.field);
    expect(fields).toContain('Zeile 8, services[1].title');
    expect(fields).toContain('Zeile 9, services[1].leika');
    expect(await listServices(ctx)).toEqual(before);
  });

  it('rejects broken JSON with its line', async () => {
    const e = await validationOf(importCatalog(ctx, cliActor, join(FIX, 'malformed-syntax.json'), { replace: true }));
    expect(e.message).toMatch(/kein gültiges JSON \(Zeile 5/);
  });

  it('rolls back the whole import when a reference is unknown (transactional)', async () => {
    const before = await listServices(ctx);
    const e = await validationOf(importCatalog(ctx, cliActor, join(FIX, 'unknown-ref.json'), { replace: true }));
    expect(e.details!.fields![0]).toEqual({ field: 'services[1].locations', message: 'unbekannter Standort "gibt-es-nicht"' });
    expect(await listServices(ctx)).toEqual(before);
  });

  it('requires catalog.edit', async () => {
    const e = await validationOf(importCatalog(ctx, clerk, join(FIX, 'dldb/services_de.json'), { replace: false }));
    expect(e.code).toBe('forbidden');
  });

  it('imports the own format (demo catalog) with life situations and next steps; replace removes the old catalog', async () => {
    const r = await importCatalog(ctx, cliActor, DEMO_CATALOG_FILE, { replace: true });
    expect(r.format).toBe('lotse');
    expect(r.imported).toBeGreaterThanOrEqual(40);
    expect(await getService(ctx, '1063441')).toBeNull();
    const pa = await getService(ctx, 'nom-personalausweis');
    expect(pa).toMatchObject({ demo: true, bookable: true, lifeSituations: ['ausweis-reisen'] });
    expect(pa!.fees).toContain('46,00 €');
    expect(pa!.sources.length).toBeGreaterThan(0);
    const steps = await nextSteps(ctx, 'nom-wohnsitz-ummelden');
    expect(steps[0]!.services.map((s) => s.id)).toEqual(expect.arrayContaining(['nom-kfz-zulassung', 'nom-hundesteuer-anmelden']));
    const audit = await execRows<{ action: string }>(ctx.db, sql`SELECT action FROM audit_log WHERE action = 'catalog.import'`);
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });
});

describe('search over the demo catalog', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext({ LOTSE_DEMO: 'on' });
    await catalogModule.seedDemo!(ctx);
    await catalogModule.seedDemo!(ctx); // idempotent
  });
  afterAll(() => ctx.database.close());

  const top = async (q: string, lang?: 'de' | 'en') => (await searchServices(ctx, q, { lang, limit: 3 })).map((h) => h.service.id);

  it('seeding twice leaves one copy', async () => {
    expect((await listServices(ctx)).length).toBe((await listServices(ctx)).filter((s, i, a) => a.findIndex((x) => x.id === s.id) === i).length);
  });

  it('finds services by colloquial words, umlaut spellings, compounds, typos and English', async () => {
    expect((await top('Perso verloren'))[0]).toBe('nom-ausweis-verlust');
    expect(await top('Fuehrungszeugnis beantragen')).toContain('nom-fuehrungszeugnis');
    expect(await top('Hundesteueranmeldung')).toContain('nom-hundesteuer-anmelden');
    expect(await top('Meldebeschienigung')).toContain('nom-meldebescheinigung');
    expect(await top('Knöllchen bezahlen')).toContain('nom-verwarnungsgeld');
    expect(await top('passport', 'en')).toContain('nom-reisepass');
    expect(await top('register my new address', 'en')).toEqual(expect.arrayContaining(['nom-wohnsitz-anmelden']));
  });

  it('returns hits with score, confidence in 0..1, matched terms and passages', async () => {
    const [hit] = await searchServices(ctx, 'Was kostet ein Reisepass?');
    expect(hit!.service.id).toBe('nom-reisepass');
    expect(hit!.confidence).toBeGreaterThan(0.3);
    expect(hit!.confidence).toBeLessThanOrEqual(1);
    expect(hit!.matchedTerms).toContain('reisepass');
    expect(hit!.passages.length).toBeGreaterThan(0);
  });

  it('gives low confidence to off-topic questions and nothing for empty ones', async () => {
    const weather = await searchServices(ctx, 'Wie wird das Wetter morgen?');
    expect(weather[0]?.confidence ?? 0).toBeLessThan(0.35);
    expect(await searchServices(ctx, '   ')).toEqual([]);
    const huge = await searchServices(ctx, 'Reisepass '.repeat(5000));
    expect(huge[0]!.service.id).toBe('nom-reisepass');
  });

  it('serves GET /api/v1/services with and without q', async () => {
    const app = buildApp(ctx);
    const all = (await (await app.request('/api/v1/services')).json()) as { services: unknown[] };
    expect(all.services.length).toBeGreaterThanOrEqual(40);
    const res = await app.request('/api/v1/services?q=hundemarke');
    const body = (await res.json()) as { services: { id: string; title: string; leika: string | null; url: string | null }[] };
    expect(body.services[0]!.id).toMatch(/^nom-hund/);
    const spec = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(spec.paths['/services']).toBeDefined();
  });

  it('staff edits: draft stays private until published, history and audit record who/when, search updates', async () => {
    const before = await getServiceForEditing(ctx, clerk, 'nom-plakatierung');
    const input = { ...before.published, title: 'Plakate und Banner aufhängen', descriptionHtml: '<p>Neu <img src=x onerror=alert(1)>Text</p>', keywords: 'Banner, Werbetafel' };
    await expect(saveServiceDraft(ctx, clerk, 'nom-plakatierung', input)).rejects.toMatchObject({ code: 'forbidden' });
    const draft = await saveServiceDraft(ctx, lead, 'nom-plakatierung', input);
    expect(draft.descriptionHtml).toBe('<p>Neu Text</p>');
    expect((await getService(ctx, 'nom-plakatierung'))!.title).toBe('Plakate aufhängen (Plakatierungserlaubnis)');
    const { version } = await publishService(ctx, lead, 'nom-plakatierung');
    const after = await getService(ctx, 'nom-plakatierung');
    expect(after!.title).toBe('Plakate und Banner aufhängen');
    expect(after!.keywords).toEqual(['Banner', 'Werbetafel']);
    const edit = await getServiceForEditing(ctx, lead, 'nom-plakatierung');
    expect(edit.history.slice(0, 2).map((h) => [h.action, h.actorId])).toEqual([
      ['publish', 'u-lead'],
      ['draft', 'u-lead'],
    ]);
    expect(edit.row.version).toBe(version);
    expect(await top('Werbetafel')).toContain('nom-plakatierung');
    const audit = await execRows<{ action: string }>(ctx.db, sql`SELECT action FROM audit_log WHERE object_id = 'nom-plakatierung' ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(['catalog.service.draft', 'catalog.service.publish']);
  });

  it('town synonyms change the search at once; another instance notices via the version counter', async () => {
    expect(await top('Dackelabgabe')).not.toContain('nom-hundesteuer-anmelden');
    const idx1 = await getCatalogIndex(ctx);
    await saveSynonym(ctx, lead, { term: 'Dackelabgabe', expansions: 'Hundesteuer' });
    expect(await top('Dackelabgabe')).toContain('nom-hundesteuer-anmelden');
    // Simulate a change made by another instance: bump the version directly.
    const idx2 = await getCatalogIndex(ctx);
    expect(idx2).not.toBe(idx1);
    await ctx.db.execute(sql`UPDATE catalog_state SET version = version + 1 WHERE id = 1`);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await getCatalogIndex(ctx)).not.toBe(idx2);
  });

  it('staff pages require catalog.read and show the list', async () => {
    const app = buildApp(ctx);
    expect((await app.request('/verwaltung/katalog')).status).toBe(303);
    const { cookie } = await loginAs(app, ctx, ['clerk']);
    const res = await app.request('/verwaltung/katalog', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Personalausweis beantragen');
    const council = await loginAs(app, ctx, ['council']);
    expect((await app.request('/verwaltung/katalog', { headers: { cookie: council.cookie } })).status).toBe(403);
  });

  it('a staff member saves and publishes through the form (CSRF)', async () => {
    const app = buildApp(ctx);
    const { cookie, csrf } = await loginAs(app, ctx, ['department_lead']);
    const form = new URLSearchParams({ _csrf: csrf, title: 'Briefwahl beantragen (Wahlschein)', descriptionHtml: '<p>Text</p>', documents: 'Wahlbenachrichtigung', fees: '', keywords: 'Wahlschein' });
    const res = await app.request('/verwaltung/katalog/nom-briefwahl', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Entwurf gespeichert');
    const pub = await app.request('/verwaltung/katalog/nom-briefwahl/veroeffentlichen', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${csrf}` });
    expect(pub.status).toBe(200);
    expect((await getService(ctx, 'nom-briefwahl'))!.title).toBe('Briefwahl beantragen (Wahlschein)');
  });

  it('renders the public pages', async () => {
    const app = buildApp(ctx);
    const page = await (await app.request('/leistungen/nom-reisepass')).text();
    expect(page).toContain('application/ld+json');
    expect(page).toContain('"@type":"GovernmentService"');
    expect(page).toContain('70,00 €');
    expect((await app.request('/leistungen/gibt-es-nicht')).status).toBe(404);
    expect(await (await app.request('/leistungen?q=Perso')).text()).toContain('Suchergebnisse');
    expect(await (await app.request('/leistungen/vorschlaege?q=hund')).text()).toContain('/leistungen/nom-hund');
    expect((await app.request('/lebenslagen/umzug')).status).toBe(200);
    expect((await app.request('/mein-northeim')).status).toBe(200);
  });
});
