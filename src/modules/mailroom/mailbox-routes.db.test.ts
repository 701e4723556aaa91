import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import type { AppContext } from '../../core/context.ts';
import type { AppRouter } from '../../core/http/app.ts';
import { execRows } from '../../core/db/index.ts';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import { loginAs, type TestLogin } from '../../../test/helpers/auth.ts';
import { configureMailbox } from './intake/configure-mailbox.ts';
import { cliActor } from '../../core/auth/index.ts';

describe(`IMAP mailbox page (${testDbKind()})`, () => {
  let ctx: AppContext;
  let app: AppRouter;
  let lead: TestLogin;
  let clerk: TestLogin;
  beforeAll(async () => {
    ctx = await createTestContext();
    app = buildApp(ctx);
    lead = await loginAs(app, ctx, ['department_lead']);
    clerk = await loginAs(app, ctx, ['clerk']);
    // a mailbox with a stored password (CLI/use case only): the page must never show it
    await configureMailbox(ctx, cliActor, { name: 'alt', host: 'imap.example.org', username: 'alt@example.org', password: 'GEHEIM-123' });
  });
  afterAll(() => ctx?.database.close());
  const get = (who: TestLogin) => app.request('/verwaltung/posteingang/postfaecher', { headers: { cookie: who.cookie } });
  const post = (who: TestLogin, path: string, form: Record<string, string>) =>
    app.request(path, { method: 'POST', headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: who.csrf, ...form }).toString() });

  it('needs mailroom.configure; the link shows only with it', async () => {
    expect((await get(clerk)).status).toBe(403);
    expect(await (await app.request('/verwaltung/posteingang', { headers: { cookie: clerk.cookie } })).text()).not.toContain('/verwaltung/posteingang/postfaecher');
    expect(await (await app.request('/verwaltung/posteingang', { headers: { cookie: lead.cookie } })).text()).toContain('href="/verwaltung/posteingang/postfaecher"');
  });

  it('lists mailboxes without passwords and has no password field', async () => {
    const html = await (await get(lead)).text();
    expect(html).toContain('imap.example.org:993 (TLS)');
    expect(html).toContain('in der Datenbank gespeichert');
    expect(html).not.toContain('GEHEIM-123');
    expect(html).not.toMatch(/type="password"/);
  });

  it('adds a mailbox with the name of the password variable, queues a poll, and reports field errors', async () => {
    const bad = await post(lead, '/verwaltung/posteingang/postfaecher', { name: 'Post Stelle', host: 'imap.example.org', port: '993', username: 'p@example.org', passwordEnv: 'geheim', folder: 'INBOX', processedFolder: 'Lotse/Verarbeitet', secure: 'on' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Bitte die markierten Angaben prüfen.');
    expect(badHtml).toContain('aria-invalid="true"');
    expect(badHtml).toContain('href="#mb-passwordEnv"');

    const ok = await post(lead, '/verwaltung/posteingang/postfaecher', { name: 'poststelle', host: 'imap.northeim.example', port: '143', username: 'poststelle@northeim.example', passwordEnv: 'LOTSE_IMAP_POSTSTELLE_PASSWORD', folder: 'INBOX', processedFolder: 'Lotse/Verarbeitet' });
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain('Postfach „poststelle“ gespeichert');
    expect(html).toContain('imap.northeim.example:143 (STARTTLS)');
    expect(html).toContain('<code>LOTSE_IMAP_POSTSTELLE_PASSWORD</code>');
    const [row] = await execRows<{ password: string | null; password_env: string; secure: boolean }>(ctx.db, sql`SELECT password, password_env, secure FROM mailroom_mailboxes WHERE name = 'poststelle'`);
    expect(row).toEqual({ password: null, password_env: 'LOTSE_IMAP_POSTSTELLE_PASSWORD', secure: false });
    const jobs = await execRows(ctx.db, sql`SELECT id FROM jobs WHERE queue = 'mailroom.imap-poll' AND status = 'queued'`);
    expect(jobs).toHaveLength(1);
  });

  it('switches a mailbox off and on again (audited)', async () => {
    const [box] = await execRows<{ id: number }>(ctx.db, sql`SELECT id FROM mailroom_mailboxes WHERE name = 'poststelle'`);
    const res = await post(lead, `/verwaltung/posteingang/postfaecher/${box!.id}/abschalten`, {});
    expect(res.status).toBe(303);
    expect(await (await get(lead)).text()).toContain('Abgeschaltet');
    const [r] = await execRows<{ active: boolean }>(ctx.db, sql`SELECT active FROM mailroom_mailboxes WHERE id = ${box!.id}`);
    expect(r!.active).toBe(false);
    expect((await post(lead, `/verwaltung/posteingang/postfaecher/${box!.id}/einschalten`, {})).status).toBe(303);
    const audit = await execRows<{ action: string }>(ctx.db, sql`SELECT action FROM audit_log WHERE action LIKE 'mailroom.mailbox_%' ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(['mailroom.mailbox_configure', 'mailroom.mailbox_configure', 'mailroom.mailbox_disable', 'mailroom.mailbox_enable']);
    expect((await post(clerk, `/verwaltung/posteingang/postfaecher/${box!.id}/abschalten`, {})).status).toBe(403);
  });
});
