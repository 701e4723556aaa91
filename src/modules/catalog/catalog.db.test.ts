import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
import { readCatalogFile } from './import-catalog.ts';

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
    expect(e.message).toMatch(/ungültiges JSON in Zeile 5, Spalte \d+/);
    expect(JSON.stringify(e.details)).not.toMatch(/Expected|Unexpected|position/);
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

describe('HTML in text fields (import and staff edit): plain text everywhere except the description', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await importCatalog(ctx, cliActor, join(FIX, 'html-fields.json'), { replace: true });
  });
  afterAll(() => ctx.database.close());

  it('stores title, fees, documents, keywords, locations and life situations without tags', async () => {
    const s = await getService(ctx, 'html-hund');
    expect(s).toMatchObject({
      title: 'Hundesteuer anmelden',
      documents: ['Personalausweis', 'Nachweis Haftpflicht'],
      fees: '100 € im Jahr\n• zweiter Hund 132 €',
      processingTime: 'sofort',
      legalBasis: 'Hundesteuersatzung',
      department: 'Steueramt',
      keywords: ['Hundemarke'],
      easyLanguage: 'Sie haben einen Hund.\nDann zahlen Sie Steuer.',
      locations: [{ id: 'rathaus-html', name: 'Rathaus', address: 'Markt 1, 37154 Northeim', openingHours: 'Mo 8–12 Uhr\nDo 14–18 Uhr' }],
    });
    expect(s!.descriptionHtml).toBe('<p>Beschreibung <strong>bleibt fett</strong></p>');
    const rows = await execRows(ctx.db, sql`SELECT s.*, l.name AS loc, l.contact, ls.title AS ls_title, ls.intro FROM catalog_services s, catalog_locations l, catalog_life_situations ls`);
    const all = JSON.stringify(rows).replace(JSON.stringify(s!.descriptionHtml).slice(1, -1), '');
    expect(all).not.toMatch(/<|&lt;|&amp;|alert|onclick|onerror|javascript:/);
    expect(rows[0]).toMatchObject({ loc: 'Rathaus', contact: { email: 'rathaus@example.org' }, ls_title: 'Tiere & Haustiere', intro: 'Alles rund ums Tier.' });
  });

  it('page, API and search show no tags and no script', async () => {
    const app = buildApp(ctx);
    const page = await (await app.request('/leistungen/html-hund')).text();
    expect(page).toContain('Hundesteuer anmelden');
    expect(page).not.toMatch(/alert\(|&lt;(b|script|i|p)&gt;|onerror|onclick|javascript:/);
    expect(page).toContain('<strong>bleibt fett</strong>');
    const ls = await (await app.request('/lebenslagen/tiere-html')).text();
    expect(ls).not.toMatch(/alert\(|&lt;(em|script|b)&gt;/);
    const api = await (await app.request('/api/v1/services?q=Hundesteuer')).text();
    expect(JSON.parse(api)).toMatchObject({ services: [{ id: 'html-hund', title: 'Hundesteuer anmelden' }] });
    expect(api).not.toMatch(/<|alert/);
    const [hit] = await searchServices(ctx, 'Hundemarke Personalausweis');
    expect(hit!.service.title).toBe('Hundesteuer anmelden');
    expect(JSON.stringify({ ...hit!.service, descriptionHtml: '' })).not.toMatch(/<|alert/);
    expect(JSON.stringify(hit!.passages)).not.toMatch(/<|alert/);
    // The assistant answers from the same rows: no tag in the answer or its sources.
    const ask = await app.request('/api/v1/assistant/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Was kostet die Hundesteuer?', lang: 'de' }) });
    expect(ask.status).toBe(200);
    const answer = await ask.text();
    expect(answer).toContain('Hundesteuer anmelden');
    expect(answer).not.toMatch(/<(b|script|i|p|img)\b|alert\(|&lt;/);
  });

  it('staff edits are cleaned the same way; a title of tags only is refused', async () => {
    const before = await getServiceForEditing(ctx, cliActor, 'html-hund');
    const draft = await saveServiceDraft(ctx, cliActor, 'html-hund', {
      ...before.published,
      title: 'Hund <b>anmelden</b><script>alert(1)</script>',
      fees: '<p>30 &euro;</p><img src=x onerror=alert(1)>',
      documents: '<i>Ausweis</i>\n<script>alert(1)</script>',
      keywords: '<b>Hundemarke</b>, Steuer',
      legalBasis: '<a href="javascript:alert(1)">Satzung</a>',
    });
    expect(draft).toMatchObject({ title: 'Hund anmelden', fees: '30 €', documents: ['Ausweis'], keywords: ['Hundemarke', 'Steuer'], legalBasis: 'Satzung' });
    await publishService(ctx, cliActor, 'html-hund');
    expect((await getService(ctx, 'html-hund'))!.title).toBe('Hund anmelden');
    const e = await validationOf(saveServiceDraft(ctx, cliActor, 'html-hund', { ...before.published, title: '<script>alert(1)</script>' }));
    expect(e.details!.fields).toEqual([{ field: 'title', message: 'Titel fehlt (ohne HTML-Tags zu kurz)' }]);
  });

  it('an import whose title is only tags is refused naming line and field; nothing is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotse-html-'));
    try {
      const raw = JSON.parse(readFileSync(join(FIX, 'html-fields.json'), 'utf8')) as { services: { id: string; title: string }[] };
      raw.services[0]!.id = 'html-leer';
      raw.services[0]!.title = '<script>alert(1)</script>';
      const file = join(dir, 'leer.json');
      writeFileSync(file, JSON.stringify(raw, null, 2));
      const e = await validationOf(importCatalog(ctx, cliActor, file, { replace: false }));
      expect(e.message).toContain(file);
      expect(e.details!.fields).toEqual([{ field: expect.stringMatching(/^Zeile \d+, services\[0\]\.title$/), message: 'ist ohne HTML-Tags leer' }]);
      expect(await getService(ctx, 'html-leer')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
    // Validation errors are problem+json with German zod messages (core/zod-locale.ts).
    const long = await app.request(`/api/v1/services?q=${'a'.repeat(1001)}`);
    expect(long.status).toBe(422);
    const problem = (await long.json()) as { fields: { field: string; message: string }[] };
    expect(problem.fields).toEqual([{ field: 'q', message: 'zu lang: höchstens 1.000 Zeichen erlaubt' }]);
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

describe('languages of advice (ISO 639-1)', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext({ LOTSE_DEMO: 'on', LOTSE_BASE_URL: 'https://lotse.example' });
    await catalogModule.seedDemo!(ctx);
  });
  afterAll(() => ctx.database.close());

  it('imports languages from the own format: lower case, no duplicates, German implicit; DLDB has none', async () => {
    await importCatalog(ctx, cliActor, join(FIX, 'languages.json'), { replace: false });
    expect((await getService(ctx, 'lang-1'))!.languages).toEqual(['en', 'tr', 'uk']);
    expect((await getService(ctx, 'lang-2'))!.languages).toEqual([]);
    expect(readCatalogFile(join(FIX, 'dldb/services_de.json')).services.every((s) => Array.isArray(s.row.languages) && s.row.languages.length === 0)).toBe(true);
  });

  it('rejects an unknown language code naming line and field, and stores nothing', async () => {
    const before = await listServices(ctx);
    const e = await validationOf(importCatalog(ctx, cliActor, join(FIX, 'bad-language.json'), { replace: false }));
    expect(e.details!.fields!.map((f) => f.field)).toContain('Zeile 9, services[1].languages[1]');
    expect(await getService(ctx, 'ok-1')).toBeNull();
    expect(await listServices(ctx)).toEqual(before);
  });

  it('shows "Beratung auch in" with lang attributes and availableLanguage in the JSON-LD', async () => {
    const app = buildApp(ctx);
    const page = await (await app.request('/leistungen/nom-wohnsitz-anmelden')).text();
    expect(page).toContain('Beratung auch in');
    expect(page).toMatch(/Englisch \(<span lang="en">English<\/span>\)/);
    expect(page).toMatch(/Türkisch \(<span lang="tr">Türkçe<\/span>\)/);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!) as { availableChannel: { availableLanguage: string[] }[] };
    expect(ld.availableChannel[0]!.availableLanguage).toEqual(['de', 'en', 'tr']);
    // English UI: names in English, own names still marked.
    const en = await (await app.request('/leistungen/nom-wohnsitz-anmelden', { headers: { cookie: 'lotse_lang=en' } })).text();
    expect(en).toContain('Advice also in');
    expect(en).toMatch(/Turkish \(<span lang="tr">Türkçe<\/span>\)/);
    // A service without languages shows no line, and its JSON-LD offers German only.
    const none = await (await app.request('/leistungen/nom-grundsteuer')).text();
    expect(none).not.toContain('Beratung auch in');
    expect(none).toContain('"availableLanguage":["de"]');
  });

  it('staff edit the languages (text "en, fr"); invalid codes are a validation error', async () => {
    const before = await getServiceForEditing(ctx, lead, 'nom-briefwahl');
    expect(before.published.languages).toEqual([]);
    const bad = await validationOf(saveServiceDraft(ctx, lead, 'nom-briefwahl', { ...before.published, languages: 'en, xx' }));
    expect(bad.code).toBe('validation');
    await saveServiceDraft(ctx, lead, 'nom-briefwahl', { ...before.published, languages: 'EN, fr; de' });
    expect((await getService(ctx, 'nom-briefwahl'))!.languages).toEqual([]);
    await publishService(ctx, lead, 'nom-briefwahl');
    expect((await getService(ctx, 'nom-briefwahl'))!.languages).toEqual(['en', 'fr']);
    // A form without the field (older editor, API client) keeps the languages.
    const { languages: _omit, ...withoutLanguages } = (await getServiceForEditing(ctx, lead, 'nom-briefwahl')).published;
    await saveServiceDraft(ctx, lead, 'nom-briefwahl', { ...withoutLanguages, title: 'Briefwahl beantragen' });
    await publishService(ctx, lead, 'nom-briefwahl');
    expect((await getService(ctx, 'nom-briefwahl'))!.languages).toEqual(['en', 'fr']);
  });

  it('the staff form edits the languages; an unknown code is shown at the field', async () => {
    const app = buildApp(ctx);
    const { cookie, csrf } = await loginAs(app, ctx, ['department_lead']);
    const form = await (await app.request('/verwaltung/katalog/nom-wohnsitz-anmelden', { headers: { cookie } })).text();
    expect(form).toMatch(/id="f-languages"[^>]*value="en, tr"|value="en, tr"[^>]*id="f-languages"/);
    const post = (languages: string) =>
      app.request('/verwaltung/katalog/nom-wohnsitz-anmelden', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, title: 'Wohnsitz anmelden (Zuzug nach Northeim)', languages }).toString(),
      });
    const bad = await post('en, xx');
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toContain('unbekannter Sprachcode xx');
    expect(page).toContain('href="#f-languages"');
    expect((await post('en, tr, ar')).status).toBe(200);
    await publishService(ctx, lead, 'nom-wohnsitz-anmelden');
    expect((await getService(ctx, 'nom-wohnsitz-anmelden'))!.languages).toEqual(['en', 'tr', 'ar']);
  });

  it('GET /api/v1/services and catalog list give the portal page as url when a service has no own url', async () => {
    const app = buildApp(ctx);
    const all = (await (await app.request('/api/v1/services')).json()) as { services: { id: string; url: string | null }[] };
    expect(all.services.length).toBeGreaterThanOrEqual(40);
    for (const s of all.services) expect(s.url).toBe(`https://lotse.example/leistungen/${encodeURIComponent(s.id)}`);
    const q = (await (await app.request('/api/v1/services?q=Reisepass')).json()) as { services: { id: string; url: string | null }[] };
    expect(q.services[0]).toEqual(expect.objectContaining({ id: 'nom-reisepass', url: 'https://lotse.example/leistungen/nom-reisepass' }));
  });

  it('rejects an escaped NUL character before the database sees it (line and field named)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotse-nul-'));
    try {
      const raw = JSON.parse(readFileSync(join(FIX, 'dldb/services_de.json'), 'utf8')) as { data: { name: string }[] };
      raw.data[1]!.name = 'Führungs\u0000zeugnis';
      const file = join(dir, 'services_de.json');
      writeFileSync(file, JSON.stringify(raw, null, 1));
      const e = await validationOf(importCatalog(ctx, cliActor, file, { replace: true }));
      expect(e.code).toBe('validation');
      expect(e.details!.fields![0]!.field).toMatch(/^Zeile \d+, data\[1\]\.name$/);
      expect(await getService(ctx, 'nom-reisepass')).not.toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('starter catalog of the demo town (Beispieldaten)', () => {
  const cat = readCatalogFile(DEMO_CATALOG_FILE);
  const byId = new Map(cat.services.map((s) => [s.row.id, s.row]));

  it('has at least 40 demo services, each with a fee line and sources', () => {
    expect(cat.services.length).toBeGreaterThanOrEqual(40);
    for (const { row } of cat.services) {
      expect(row.demo, row.id).toBe(true);
      expect(row.fees, row.id).toBeTruthy();
      expect(row.sources!.length, row.id).toBeGreaterThan(0);
    }
  });

  it('every amount in a fee names its legal source, the town statute or the press report', () => {
    for (const { row } of cat.services) {
      if (!row.fees!.includes('€')) continue;
      expect(row.fees, row.id).toMatch(/§|AllGO|PassV|Passverordnung|PAuswGebV|JVKostG|Justizverwaltungskostengesetz|Satzung|OWiG|Presse|Auskunft der Stadt|Gebührenordnung/);
    }
    expect(byId.get('nom-hundesteuer-anmelden')!.fees).toMatch(/Steuer, keine Gebühr.*Hundesteuersatzung/);
    expect(byId.get('nom-fuehrungszeugnis')!.fees).toContain('13,00 €');
    expect(byId.get('nom-meldebescheinigung')!.fees).toMatch(/7,50 €.*AllGO/);
  });

  it('has texts in Einfache Sprache for the most used services: short sentences', () => {
    const easy = cat.services.filter((s) => s.row.easyLanguage);
    expect(easy.length).toBeGreaterThanOrEqual(10);
    for (const id of ['nom-wohnsitz-ummelden', 'nom-personalausweis', 'nom-reisepass', 'nom-fuehrungszeugnis', 'nom-meldebescheinigung', 'nom-hundesteuer-anmelden', 'nom-gewerbe-anmelden', 'nom-fundsachen', 'nom-wohngeld', 'nom-kita-platz']) {
      const text = byId.get(id)!.easyLanguage!;
      expect(text, id).toBeTruthy();
      const sentences = text.split(/(?<=[.?!:])\s+/).filter(Boolean);
      const words = sentences.map((x) => x.split(/\s+/).length);
      expect(Math.max(...words), `${id}: longest sentence`).toBeLessThanOrEqual(16);
    }
  });
});

// The real Munich DLDB export (../shared/data/services, 287 services) – skipped when it is not there.
const MUNICH_DIR = resolve(import.meta.dirname, '../../../../shared/data/services');
const MUNICH = join(MUNICH_DIR, 'services_de.json');
const haveMunich = existsSync(MUNICH) && existsSync(join(MUNICH_DIR, 'locations_de.json'));
if (!haveMunich) console.warn(`catalog.db.test: ${MUNICH} not found – the Munich DLDB import tests are skipped.`);

async function count(ctx: AppContext, query: ReturnType<typeof sql>): Promise<number> {
  return Number((await execRows<{ n: number }>(ctx.db, query))[0]?.n ?? -1);
}

/** A copy of the Munich export with one record broken (in a temp folder with the locations file). */
function brokenMunichCopy(dir: string, breakIt: (data: Record<string, unknown>[]) => void): string {
  const raw = JSON.parse(readFileSync(MUNICH, 'utf8')) as { data: Record<string, unknown>[] };
  breakIt(raw.data);
  const file = join(dir, 'services_de.json');
  writeFileSync(file, JSON.stringify(raw, null, 1));
  copyFileSync(join(MUNICH_DIR, 'locations_de.json'), join(dir, 'locations_de.json'));
  return file;
}

describe.skipIf(!haveMunich)(`real Munich DLDB export (${haveMunich ? '287 services' : 'skipped: ../shared/data/services not found'})`, () => {
  let ctx: AppContext;
  let dir: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    dir = mkdtempSync(join(tmpdir(), 'lotse-munich-'));
  });
  afterAll(async () => {
    await ctx.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports all 287 services with locations and fees through the use case', async () => {
    const r = await importCatalog(ctx, cliActor, MUNICH, { replace: true });
    expect(r).toEqual({ imported: 287, format: 'dldb' });
    const list = await listServices(ctx);
    expect(list).toHaveLength(287);
    const locations = await count(ctx, sql`SELECT count(*)::int AS n FROM catalog_locations`);
    expect(locations).toBe(109);
    const withLoc = await count(ctx, sql`SELECT count(DISTINCT service_id)::int AS n FROM catalog_service_locations`);
    expect(withLoc).toBeGreaterThan(200);
    const withFees = await count(ctx, sql`SELECT count(*)::int AS n FROM catalog_services WHERE fees IS NOT NULL`);
    expect(withFees).toBeGreaterThanOrEqual(180);
    const withLeika = await count(ctx, sql`SELECT count(*)::int AS n FROM catalog_services WHERE leika IS NOT NULL`);
    expect(withLeika).toBe(132);
    const pa = await getService(ctx, '1063441');
    expect(pa).toMatchObject({ title: expect.stringContaining('Personalausweis'), attribution: expect.stringContaining('Landeshauptstadt München'), languages: [] });
    expect(pa!.fees).toMatch(/Euro|€/);
    expect(pa!.locations.length).toBeGreaterThan(0);
    expect(pa!.locations[0]!.address).toMatch(/München/);
    expect(pa!.descriptionHtml).not.toMatch(/<script|on\w+=|javascript:/i);
    // Every service keeps its own booking URL; none is null.
    expect(list.every((s) => typeof s.url === 'string' && s.url.length > 0)).toBe(true);
    expect((await searchServices(ctx, 'Personalausweis beantragen'))[0]!.service.title).toMatch(/Personalausweis/);
  }, 120_000);

  it('a malformed copy (record 150 without a name) names line and field and changes nothing', async () => {
    const before = await execRows<{ id: string; version: number }>(ctx.db, sql`SELECT id, version FROM catalog_services ORDER BY id`);
    const file = brokenMunichCopy(dir, (data) => {
      delete data[150]!['name'];
    });
    const e = await validationOf(importCatalog(ctx, cliActor, file, { replace: true }));
    expect(e.code).toBe('validation');
    expect(e.message).toContain(file);
    expect(e.details!.fields![0]!.field).toMatch(/^Zeile \d+, data\[150\]\.name$/);
    expect(await execRows(ctx.db, sql`SELECT id, version FROM catalog_services ORDER BY id`)).toEqual(before);
  }, 120_000);

  it('the locations file alone is refused (Standorte, keine Leistungen) and changes nothing', async () => {
    const before = await execRows<{ id: string; version: number }>(ctx.db, sql`SELECT id, version FROM catalog_services ORDER BY id`);
    const locBefore = await count(ctx, sql`SELECT count(*)::int AS n FROM catalog_locations`);
    const file = join(MUNICH_DIR, 'locations_de.json');
    const e = await validationOf(importCatalog(ctx, cliActor, file, { replace: true }));
    expect(e.code).toBe('validation');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/enthält Standorte .*keine Leistungen\. Es wurde nichts importiert\./);
    expect(e.message).toContain(`lotse catalog import ${MUNICH}`);
    expect(e.details!.fields).toEqual([{ field: 'Zeile 3, data[0]', message: expect.stringContaining('Standort') }]);
    expect(await execRows(ctx.db, sql`SELECT id, version FROM catalog_services ORDER BY id`)).toEqual(before);
    expect(await count(ctx, sql`SELECT count(*)::int AS n FROM catalog_locations`)).toBe(locBefore);
    // A services file with a location record in the middle names that record.
    const mixed = brokenMunichCopy(dir, (data) => {
      data[7] = (JSON.parse(readFileSync(file, 'utf8')) as { data: Record<string, unknown>[] }).data[0]!;
    });
    const m = await validationOf(importCatalog(ctx, cliActor, mixed, { replace: true }));
    expect(m.details!.fields).toEqual([{ field: expect.stringMatching(/^Zeile \d+, data\[7\]$/), message: 'Standort statt Leistung' }]);
    expect(await execRows(ctx.db, sql`SELECT id, version FROM catalog_services ORDER BY id`)).toEqual(before);
  }, 120_000);

  it('lotse catalog import / list as processes: 287 services, format dldb; a malformed copy exits 2 and keeps the catalog', () => {
    const env = { ...process.env, LOTSE_DATA_DIR: join(dir, 'data'), LOTSE_DEMO: 'off', LOTSE_LOG_LEVEL: 'silent', DATABASE_URL: '', LOTSE_BASE_URL: 'https://lotse.example' };
    const lotse = (...args: string[]) => spawnSync(process.execPath, ['bin/lotse.mjs', ...args], { env, encoding: 'utf8', timeout: 240_000 });
    const r = lotse('catalog', 'import', MUNICH, '--replace', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ imported: 287, format: 'dldb' });
    expect(r.stderr).toContain('287 Leistungen importiert (Format: dldb, Katalog ersetzt)');
    const list = lotse('catalog', 'list', '--json');
    expect(list.status, list.stderr).toBe(0);
    const services = JSON.parse(list.stdout) as { id: string; title: string; leika: string | null; url: string | null }[];
    expect(services).toHaveLength(287);
    expect(Object.keys(services[0]!).sort()).toEqual(['id', 'leika', 'title', 'url']);

    const bad = brokenMunichCopy(dir, (data) => {
      (data[200] as { leika: unknown }).leika = { not: 'a key' };
    });
    const b = lotse('catalog', 'import', bad, '--replace', '--json');
    expect(b.status).toBe(2);
    expect(b.stdout).toBe('');
    expect(b.stderr).toContain(bad);
    expect(b.stderr).toMatch(/Zeile \d+, data\[200\]\.leika/);
    const after = lotse('catalog', 'list', '--json');
    expect(JSON.parse(after.stdout)).toHaveLength(287);

    const locations = join(MUNICH_DIR, 'locations_de.json');
    const l = lotse('catalog', 'import', locations, '--json');
    expect(l.status).toBe(2);
    expect(l.stdout).toBe('');
    expect(l.stderr).toContain(locations);
    expect(l.stderr).toContain('enthält Standorte');
    expect(l.stderr).toContain('keine Leistungen');
    const still = lotse('catalog', 'list', '--json');
    expect((JSON.parse(still.stdout) as { id: string }[]).map((s) => s.id)).toEqual((JSON.parse(after.stdout) as { id: string }[]).map((s) => s.id));
  }, 600_000);
});
