import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../boot.ts';
import type { AppContext } from '../../core/context.ts';
import type { AppRouter } from '../../core/http/app.ts';
import { execRows } from '../../core/db/index.ts';
import { systemActor } from '../../core/auth/actor.ts';
import { verifyAuditChain, writeAudit } from '../../core/audit/index.ts';
import { enqueue } from '../../core/jobs/index.ts';
import { queueMail } from '../../core/mail-out/index.ts';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import { loginAs, type TestLogin } from '../../../test/helpers/auth.ts';

let ctx: AppContext;
let app: AppRouter;
let admin: TestLogin;
let clerk: TestLogin;
let council: TestLogin;
let deadJob: number;

beforeAll(async () => {
  ctx = await createTestContext();
  app = buildApp(ctx);
  admin = await loginAs(app, ctx, ['admin']);
  clerk = await loginAs(app, ctx, ['clerk']);
  council = await loginAs(app, ctx, ['working_group']);
  deadJob = (await enqueue(ctx.db, 'test.kaputt', {}))!;
  await ctx.database.query(`UPDATE jobs SET status = 'dead', attempts = 5, last_error = 'Verbindung abgelehnt' WHERE id = $1`, [deadJob]);
  await enqueue(ctx.db, 'test.wartet', {});
  await ctx.db.transaction((tx) => queueMail(tx, { to: 'maria.muster@example.org', subject: 'Ihre Terminbestätigung', text: 'Hallo', kind: 'appointment-confirmation' }));
  await writeAudit(ctx.db, { actor: systemActor('test'), action: 'test.eintrag', objectType: 'thing', objectId: 'o-1', summary: { after: { status: 'x' } } });
});
afterAll(() => ctx?.database.close());

const get = (path: string, who?: TestLogin) => app.request(path, { headers: who ? { cookie: who.cookie } : {} });
const post = (path: string, who: TestLogin, csrf: string | null) =>
  app.request(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: csrf === null ? '' : `_csrf=${encodeURIComponent(csrf)}`,
  });

describe(`operations pages (${testDbKind()})`, () => {
  it('anonymous visitors are sent to the login page; missing permission is 403', async () => {
    const anon = await get('/verwaltung/auftraege');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/^\/anmelden/);
    expect((await get('/verwaltung/auftraege', clerk)).status).toBe(403);
    expect((await get('/verwaltung/postausgang', clerk)).status).toBe(403);
    expect((await get('/verwaltung/protokoll', clerk)).status).toBe(403);
    expect((await get('/verwaltung/protokoll', council)).status).toBe(200); // working group may read the audit log
    expect((await get('/verwaltung/auftraege', council)).status).toBe(403);
  });

  it('lists jobs with counts, status and last error; the retry button is a CSRF-protected form', async () => {
    const res = await get('/verwaltung/auftraege', admin);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1 class="kern-heading-large">Hintergrundaufträge</h1>');
    expect(html).toContain('Endgültig fehlgeschlagen');
    expect(html).toContain('Verbindung abgelehnt');
    expect(html).toContain(`action="/verwaltung/auftraege/${deadJob}/erneut"`);
    expect(html).toContain('name="_csrf"');
    expect(html).toMatch(/Endgültig fehlgeschlagen <span class="lotse-ops-filter__count">\(1\)/);
    const dead = await (await get('/verwaltung/auftraege?status=dead', admin)).text();
    expect(dead).not.toContain('test.wartet');
    const auto = await (await get('/verwaltung/auftraege?auto=1', admin)).text();
    expect(auto).toContain('hx-trigger="every 15s"');
  });

  it('retry without CSRF token is refused; with it the job is queued again and audited', async () => {
    expect((await post(`/verwaltung/auftraege/${deadJob}/erneut`, admin, null)).status).toBe(403);
    expect((await post(`/verwaltung/auftraege/${deadJob}/erneut`, clerk, clerk.csrf)).status).toBe(403);
    const res = await post(`/verwaltung/auftraege/${deadJob}/erneut`, admin, admin.csrf);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/verwaltung/auftraege?hinweis=erneut');
    const [j] = await execRows<{ status: string }>(ctx.db, sql`SELECT status FROM jobs WHERE id = ${deadJob}`);
    expect(j!.status).toBe('queued');
    const [a] = await execRows<{ action: string; actor_id: string }>(ctx.db, sql`SELECT action, actor_id FROM audit_log ORDER BY seq DESC LIMIT 1`);
    expect(a).toEqual({ action: 'job.retry', actor_id: admin.userId });
    const again = await post(`/verwaltung/auftraege/${deadJob}/erneut`, admin, admin.csrf);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Nur endgültig fehlgeschlagene Aufträge');
  });

  it('shows the outbox with subject and kind but a masked recipient', async () => {
    const html = await (await get('/verwaltung/postausgang', admin)).text();
    expect(html).toContain('Ihre Terminbestätigung');
    expect(html).toContain('appointment-confirmation');
    expect(html).toContain('m***@example.org');
    expect(html).not.toContain('maria.muster');
    expect(html).toContain('Kein SMTP-Server eingerichtet');
  });

  it('sends a dead mail again from the outbox page', async () => {
    const [m] = await execRows<{ id: string }>(ctx.db, sql`SELECT id FROM outbox LIMIT 1`);
    const [j] = await execRows<{ id: string }>(ctx.db, sql`SELECT id FROM jobs WHERE queue = 'mail.send' LIMIT 1`);
    await ctx.database.query(`UPDATE outbox SET status = 'dead' WHERE id = $1`, [m!.id]);
    await ctx.database.query(`UPDATE jobs SET status = 'dead' WHERE id = $1`, [j!.id]);
    const html = await (await get('/verwaltung/postausgang?status=dead', admin)).text();
    expect(html).toContain(`action="/verwaltung/postausgang/${m!.id}/erneut"`);
    expect((await post(`/verwaltung/postausgang/${m!.id}/erneut`, admin, null)).status).toBe(403);
    const res = await post(`/verwaltung/postausgang/${m!.id}/erneut`, admin, admin.csrf);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/verwaltung/postausgang?hinweis=erneut');
    const again = await post(`/verwaltung/postausgang/${m!.id}/erneut`, admin, admin.csrf);
    expect(again.status).toBe(409);
    expect((await post('/verwaltung/postausgang/kein-uuid/erneut', admin, admin.csrf)).status).toBe(404);
  });

  it('shows the audit log and the verification result', async () => {
    const html = await (await get('/verwaltung/protokoll', admin)).text();
    expect(html).toContain('test.eintrag');
    expect(html).toContain('Kette prüfen');
    const checked = await (await get('/verwaltung/protokoll?pruefen=1', admin)).text();
    expect(checked).toContain('Die Kette ist unverändert');
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
    await ctx.database.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await ctx.database.query(`UPDATE audit_log SET object_id = 'o-2' WHERE action = 'test.eintrag'`);
    await ctx.database.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    const broken = await (await get('/verwaltung/protokoll?pruefen=1', admin)).text();
    expect(broken).toContain('Das Prüfprotokoll wurde verändert.');
    expect(broken).toMatch(/Eintrag \d+ wurde nachträglich verändert/);
  });

  it('adds the entries to the staff navigation by permission', async () => {
    const html = await (await get('/verwaltung', admin)).text();
    expect(html).toContain('href="/verwaltung/auftraege"');
    expect(html).toContain('href="/verwaltung/protokoll"');
    const wg = await (await get('/verwaltung', council)).text();
    expect(wg).not.toContain('href="/verwaltung/auftraege"');
    expect(wg).toContain('href="/verwaltung/protokoll"');
  });
});
