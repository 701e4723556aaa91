import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import { cliActor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { importCatalog } from '../catalog/index.ts';
import { aggregateDay, aggregateRecentDays, AGGREGATE_QUEUE, coUseSuggestions, module, recordCoUse, topServicePairs } from './index.ts';
import { recurringFromSpec } from '../../core/jobs/schedule.ts';

const NOW = new Date('2026-03-10T10:00:00Z');
const DAY = '2026-03-09';

const catalog = {
  format: 'lotse-catalog',
  version: 1,
  services: ['anmelden', 'kfz', 'hund', 'ausweis'].map((id) => ({ id, title: `Leistung ${id}`, status: 'published' })),
};

async function book(ctx: AppContext, ids: string[], confirmedAt: string | null, extra: { replaces?: boolean; status?: string } = {}) {
  await ctx.db.execute(sql`
    INSERT INTO appt_bookings (location_id, workstation_id, start_at, end_at, units, service_ids, status, created_at, confirmed_at, replaces_id, email)
    VALUES ('ins-loc', 'ins-ws', '2026-03-20T08:00:00Z', '2026-03-20T08:10:00Z', 1, ${`{${ids.join(',')}}`}::text[],
      ${extra.status ?? (confirmedAt ? 'confirmed' : 'pending')}, '2026-03-09T07:00:00Z', ${confirmedAt}::timestamptz,
      ${extra.replaces ? '00000000-0000-4000-8000-000000000001' : null}::uuid, 'person@example.org')`);
}

async function ask(ctx: AppContext, conversation: string, serviceId: string, refused = false) {
  await ctx.db.execute(sql`
    INSERT INTO assistant_questions (conversation_id, question, lang, channel, refused, top_service_id, answer, created_at)
    VALUES (${conversation}, 'Frage', 'de', 'web', ${refused}, ${serviceId}, 'Antwort', '2026-03-09T12:00:00Z')`);
}

const pairCount = async (ctx: AppContext, a: string, b: string) =>
  Number((await execRows<{ n: string | null }>(ctx.db, sql`SELECT sum(count) AS n FROM service_co_use WHERE service_a = ${a} AND service_b = ${b}`))[0]?.n ?? 0);

describe('insights: anonymous co-use of services', () => {
  let ctx: AppContext;
  let dir: string;

  beforeAll(async () => {
    ctx = await createTestContext({}, () => NOW);
    dir = mkdtempSync(join(tmpdir(), 'lotse-insights-'));
    writeFileSync(join(dir, 'katalog.json'), JSON.stringify(catalog));
    await importCatalog(ctx, cliActor, join(dir, 'katalog.json'), { replace: true });
    await ctx.db.execute(sql`INSERT INTO appt_locations (id, name, address, opening_hours) VALUES ('ins-loc', 'Bürgerbüro', 'Am Münster 1', '[]'::jsonb)`);
    await ctx.db.execute(sql`INSERT INTO appt_workstations (id, location_id, name) VALUES ('ins-ws', 'ins-loc', 'Schalter 1')`);
    // Day 2026-03-09 (Berlin): 5× anmelden+kfz, 4× anmelden+hund (+1 from the assistant below), 3× ausweis+kfz.
    for (let i = 0; i < 5; i++) await book(ctx, ['anmelden', 'kfz'], '2026-03-09T09:00:00Z');
    for (let i = 0; i < 4; i++) await book(ctx, ['hund', 'anmelden'], '2026-03-09T10:00:00Z');
    for (let i = 0; i < 3; i++) await book(ctx, ['ausweis', 'kfz'], '2026-03-08T23:30:00Z'); // 00:30 Berlin on the 9th
    // Not counted: single service, never confirmed, a reschedule, confirmed after midnight Berlin (the 10th = today).
    await book(ctx, ['anmelden'], '2026-03-09T09:00:00Z');
    await book(ctx, ['anmelden', 'hund'], null);
    await book(ctx, ['anmelden', 'hund'], '2026-03-09T11:00:00Z', { replaces: true });
    await book(ctx, ['ausweis', 'kfz'], '2026-03-09T23:30:00Z');
    // Assistant: one conversation about two services counts; refused turns and repeated topics do not.
    await ask(ctx, 'c1', 'anmelden');
    await ask(ctx, 'c1', 'hund');
    await ask(ctx, 'c2', 'anmelden');
    await ask(ctx, 'c2', 'hund', true);
    await ask(ctx, 'c3', 'kfz');
    await ask(ctx, 'c3', 'kfz');
    // Old figures outside the 12-month window never show.
    await ctx.db.execute(sql`INSERT INTO service_co_use (service_a, service_b, month, count) VALUES ('ausweis', 'hund', '2025-03-01', 50)`);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await ctx.database.close();
  });

  it('aggregates the previous days once, from bookings and assistant conversations', async () => {
    const done = await aggregateRecentDays(ctx);
    expect(done.filter((d) => d.day === DAY)).toEqual([
      { source: 'appointments', day: DAY, pairs: 12 },
      { source: 'assistant', day: DAY, pairs: 1 },
    ]);
    expect(await pairCount(ctx, 'anmelden', 'kfz')).toBe(5);
    expect(await pairCount(ctx, 'anmelden', 'hund')).toBe(5);
    expect(await pairCount(ctx, 'ausweis', 'kfz')).toBe(3);
    expect(await pairCount(ctx, 'hund', 'kfz')).toBe(0);
  });

  it('is idempotent per day: running again adds nothing', async () => {
    expect(await aggregateRecentDays(ctx)).toEqual([]);
    expect(await aggregateDay(ctx, 'appointments', DAY)).toBeNull();
    expect(await pairCount(ctx, 'anmelden', 'kfz')).toBe(5);
    const audit = await execRows<{ n: string }>(ctx.db, sql`SELECT count(*) AS n FROM audit_log WHERE action = 'insights.aggregate' AND object_id = ${`appointments:${DAY}`}`);
    expect(Number(audit[0]!.n)).toBe(1);
  });

  it('refuses to aggregate today or a malformed day', async () => {
    await expect(aggregateDay(ctx, 'appointments', '2026-03-10')).rejects.toMatchObject({ code: 'validation' });
    await expect(aggregateDay(ctx, 'appointments', '9.3.2026')).rejects.toMatchObject({ code: 'validation' });
  });

  it('stores only pair counts per month: no person, booking id or time', async () => {
    const cols = await execRows<{ column_name: string }>(ctx.db, sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'service_co_use' ORDER BY column_name`);
    expect(cols.map((c) => c.column_name)).toEqual(['count', 'month', 'service_a', 'service_b']);
    const months = await execRows<{ m: string }>(ctx.db, sql`SELECT DISTINCT month::text AS m FROM service_co_use ORDER BY 1`);
    expect(months.map((r) => r.m)).toEqual(['2025-03-01', '2026-03-01']);
  });

  it('suggests only pairs with at least 5 uses in the last 12 months', async () => {
    expect((await coUseSuggestions(ctx, 'anmelden')).map((s) => [s.id, s.count])).toEqual([
      ['hund', 5],
      ['kfz', 5],
    ]);
    expect(await coUseSuggestions(ctx, 'ausweis')).toEqual([]); // kfz only 3×, hund 50× but outside the window
    expect(await coUseSuggestions(ctx, 'anmelden', { minCount: 1 }).catch((e: unknown) => e)).toBeInstanceOf(Error);
    expect((await topServicePairs(ctx)).map((p) => [p.a.id, p.b.id, p.count])).toEqual([
      ['anmelden', 'hund', 5],
      ['anmelden', 'kfz', 5],
    ]);
  });

  it('recordCoUse adds a signal in the caller transaction, ordered in the database collation', async () => {
    await ctx.db.transaction(async (tx) => {
      expect(await recordCoUse(tx, ['kfz', 'ausweis', 'kfz'], NOW)).toBe(1);
      expect(await recordCoUse(tx, ['ausweis', 'kfz'], NOW)).toBe(1);
    });
    expect(await pairCount(ctx, 'ausweis', 'kfz')).toBe(5);
    expect((await coUseSuggestions(ctx, 'ausweis')).map((s) => s.id)).toEqual(['kfz']);
  });

  it('GET /api/v1/services/{id}/related', async () => {
    const app = buildApp(ctx);
    const res = await app.request('/api/v1/services/anmelden/related?limit=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ serviceId: 'anmelden', minCount: 5, windowMonths: 12, related: [{ id: 'hund', title: 'Leistung hund', leika: null, url: `${ctx.config.baseUrl}/leistungen/hund`, count: 5 }] });
    const none = await (await app.request('/api/v1/services/hund/related')).json();
    // Services without an own url link to their portal page (catalog listServices).
    expect(none.related).toEqual([{ id: 'anmelden', title: 'Leistung anmelden', leika: null, url: `${ctx.config.baseUrl}/leistungen/anmelden`, count: 5 }]);
    expect((await app.request('/api/v1/services/gibt-es-nicht/related')).status).toBe(404);
    const spec = await (await app.request('/api/v1/openapi.json')).json();
    expect(Object.keys(spec.paths)).toContain('/services/{id}/related');
  });

  it('shows "Andere erledigten auch" on the service page only from 5 uses', async () => {
    const app = buildApp(ctx);
    const html = await (await app.request('/leistungen/anmelden')).text();
    expect(html).toContain('Andere erledigten auch');
    expect(html).toContain('Anonyme Statistik');
    expect(html).toContain('href="/leistungen/kfz"');
    const hund = await (await app.request('/leistungen/hund')).text();
    expect(hund).toContain('Andere erledigten auch');
    expect(hund).not.toContain('href="/leistungen/ausweis"');
  });

  it('staff evaluation page needs a login', async () => {
    const res = await buildApp(ctx).request('/verwaltung/auswertung');
    expect(res.status).not.toBe(200);
  });

  it('the daily aggregation is a recurring job at 02:15 Berlin time, kept scheduled by the core worker', async () => {
    expect(module.recurring).toEqual([{ queue: AGGREGATE_QUEUE, dailyAt: '02:15' }]);
    const next = recurringFromSpec(module.recurring![0]!).nextRunAt(new Date('2026-03-10T12:00:00Z'));
    expect(next.toISOString()).toBe('2026-03-11T01:15:00.000Z'); // 02:15 Berlin (CET)
    await expect(module.jobs![AGGREGATE_QUEUE]!(ctx, {})).resolves.toBeUndefined();
  });
});
