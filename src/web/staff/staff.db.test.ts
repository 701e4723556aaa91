import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../boot.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import type { AppRouter } from '../../core/http/app.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { loginAs } from '../../../test/helpers/auth.ts';
import { ensureFirstAdmin } from '../../core/auth/first-start.ts';
import { findUserByEmail } from '../../core/auth/repository.ts';
import { safeReturnPath } from './routes.tsx';

let ctx: AppContext;
let app: AppRouter;
let adminOtp: string;

beforeAll(async () => {
  ctx = await createTestContext({ LOTSE_ADMIN_EMAIL: 'admin@northeim.example' });
  adminOtp = (await ensureFirstAdmin(ctx, () => undefined))!;
  app = buildApp(ctx);
});
afterAll(() => ctx.database.close());

/** A tiny browser: keeps cookies, reads the CSRF token from the last page. */
class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private absorb(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const k = pair!.slice(0, i);
      const v = pair!.slice(i + 1);
      if (v === '' || /Max-Age=0/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
  }
  async get(path: string) {
    const res = await app.request(path, { headers: { cookie: this.cookie } });
    this.absorb(res);
    const html = await res.text();
    const m = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { res, html };
  }
  async post(path: string, fields: Record<string, string | string[]>, opts: { csrf?: string | null } = {}) {
    const body = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) body.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await app.request(path, {
      method: 'POST',
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    this.absorb(res);
    const html = res.status >= 300 && res.status < 400 ? '' : await res.text();
    return { res, html, location: res.headers.get('location') };
  }
}

describe('login and logout', () => {
  it('shows an accessible login form with CSRF field', async () => {
    const b = new Browser();
    const { res, html } = await b.get('/anmelden');
    expect(res.status).toBe(200);
    expect(html).toContain('<h1 class="kern-heading-large">Anmelden</h1>');
    expect(html).toMatch(/<label class="kern-label" for="f-email">E-Mail-Adresse<\/label>/);
    expect(html).toContain(`name="_csrf" value="${b.csrf}"`);
    expect(html).toContain('autocomplete="current-password"');
  });

  it('rejects a login POST without CSRF token', async () => {
    const b = new Browser();
    await b.get('/anmelden');
    const r = await b.post('/anmelden', { email: 'admin@northeim.example', password: adminOtp }, { csrf: null });
    expect(r.res.status).toBe(403);
    expect(r.html).toContain('Sicherheitsmerkmal');
  });

  it('announces a wrong password (401) without telling whether the account exists', async () => {
    const b = new Browser();
    await b.get('/anmelden');
    const wrong = await b.post('/anmelden', { email: 'admin@northeim.example', password: 'falsch' });
    const unknown = await b.post('/anmelden', { email: 'gibtsnicht@northeim.example', password: 'falsch' });
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(wrong.html).toContain('role="alert"');
    expect(wrong.html).toContain('E-Mail-Adresse oder Passwort ist nicht richtig.');
    expect(unknown.html).toContain('E-Mail-Adresse oder Passwort ist nicht richtig.');
    expect(wrong.html).toContain('value="admin@northeim.example"');
    const empty = await b.post('/anmelden', { email: '', password: '' });
    expect(empty.res.status).toBe(422);
    expect(empty.html).toContain('aria-invalid="true"');
  });

  it('forces the first-start admin to change the one-time password, then lets them in', async () => {
    const b = new Browser();
    await b.get('/anmelden?zurueck=/verwaltung/benutzer');
    const r = await b.post('/anmelden', { email: 'ADMIN@northeim.example', password: adminOtp, zurueck: '/verwaltung/benutzer' });
    expect(r.res.status).toBe(303);
    expect(r.location).toBe('/verwaltung/passwort');
    const setCookies = r.res.headers.getSetCookie();
    expect(setCookies.find((c) => c.startsWith('lotse_session='))).toMatch(/HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/);
    // Every staff page sends them back to the password form.
    const blocked = await b.get('/verwaltung/benutzer');
    expect(blocked.res.status).toBe(303);
    expect(blocked.res.headers.get('location')).toBe('/verwaltung/passwort');
    const form = await b.get('/verwaltung/passwort');
    expect(form.html).toContain('Neues Passwort festlegen');
    expect(form.html).not.toContain('name="currentPassword"');
    const short = await b.post('/verwaltung/passwort', { newPassword: 'zu kurz', confirmPassword: 'zu kurz' });
    expect(short.res.status).toBe(422);
    expect(short.html).toContain('mindestens 12 Zeichen');
    const ok = await b.post('/verwaltung/passwort', { newPassword: 'Entenmarkt und Münster', confirmPassword: 'Entenmarkt und Münster' });
    expect(ok.location).toBe('/verwaltung?hinweis=passwort');
    const home = await b.get(ok.location!);
    expect(home.res.status).toBe(200);
    expect(home.html).toContain('Guten Tag, Administration');
    expect(home.html).toContain('Ihr Passwort wurde geändert.');
    expect(home.html).toContain('href="/verwaltung/benutzer"');
    expect(home.res.headers.get('cache-control')).toBe('no-store');
  });

  it('logs out: the session row is deleted and the old cookie no longer works', async () => {
    const b = new Browser();
    await b.get('/anmelden');
    await b.post('/anmelden', { email: 'admin@northeim.example', password: 'Entenmarkt und Münster' });
    const oldCookie = b.cookie;
    const before = await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM sessions`);
    await b.get('/verwaltung');
    const out = await b.post('/abmelden', {});
    expect(out.location).toBe('/anmelden?abgemeldet');
    const after = await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM sessions`);
    expect(after[0]!.n).toBe(before[0]!.n - 1);
    expect((await b.get('/anmelden?abgemeldet')).html).toContain('Sie wurden abgemeldet.');
    const replay = await app.request('/verwaltung', { headers: { cookie: oldCookie } });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toContain('/anmelden');
  });

  it('answers 429 with a German message after too many failures', async () => {
    const b = new Browser();
    await b.get('/anmelden');
    for (let i = 0; i < 5; i++)
      expect((await b.post('/anmelden', { email: 'opfer@northeim.example', password: `x${i}` })).res.status).toBe(401);
    const r = await b.post('/anmelden', { email: 'opfer@northeim.example', password: 'x' });
    expect(r.res.status).toBe(429);
    expect(r.res.headers.get('retry-after')).toBe('900');
    expect(r.html).toContain('Zu viele fehlgeschlagene Anmeldeversuche');
  });

  it('only follows same-site relative return paths', () => {
    expect(safeReturnPath('/verwaltung/benutzer?x=1')).toBe('/verwaltung/benutzer?x=1');
    for (const bad of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '/ok\r\nSet-Cookie: x',
      '/abmelden',
      '',
      undefined,
    ]) {
      expect(safeReturnPath(bad)).toBe('/verwaltung');
    }
  });
});

describe('admin pages', () => {
  it('lets an admin create an account, shows the one-time password once, set roles and deactivate', async () => {
    const { cookie, csrf } = await loginAs(app, ctx, ['admin']);
    const post = (path: string, body: string) =>
      app.request(path, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${csrf}&${body}`,
      });
    const list = await app.request('/verwaltung/benutzer', { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('<th scope="col" class="kern-table__header">Rollen</th>');

    const bad = await post('/verwaltung/benutzer', 'displayName=Max&email=kein-mail&roles=clerk');
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Bitte eine gültige E-Mail-Adresse angeben.');

    const created = await post(
      '/verwaltung/benutzer',
      'displayName=Max+Muster&email=max%40northeim.example&roles=clerk&roles=council&department=ordnung',
    );
    const html = await created.text();
    expect(created.status).toBe(200);
    const otp = /<code class="lotse-otp">([^<]+)<\/code>/.exec(html)![1]!;
    expect(otp).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    const max = (await findUserByEmail(ctx.db, 'max@northeim.example'))!;
    expect(max).toMatchObject({ roles: ['clerk', 'council'], department: 'ordnung', mustChangePassword: true });
    expect(await (await app.request('/verwaltung/benutzer', { headers: { cookie } })).text()).not.toContain(otp);

    const roles = await post(`/verwaltung/benutzer/${max.id}/rollen`, 'roles=department_lead&department=bauen');
    expect(roles.headers.get('location')).toBe(`/verwaltung/benutzer/${max.id}?hinweis=rollen`);
    expect((await findUserByEmail(ctx.db, 'max@northeim.example'))!).toMatchObject({ roles: ['department_lead'], department: 'bauen' });
    const noRole = await post(`/verwaltung/benutzer/${max.id}/rollen`, 'department=bauen');
    expect(noRole.status).toBe(422);

    await post(`/verwaltung/benutzer/${max.id}/status`, 'active=0');
    expect((await findUserByEmail(ctx.db, 'max@northeim.example'))!.active).toBe(false);
    const detail = await (await app.request(`/verwaltung/benutzer/${max.id}`, { headers: { cookie } })).text();
    expect(detail).toContain('Konto wieder aktivieren');
  });

  it('hides admin pages from other roles (403) and from anonymous visitors (redirect)', async () => {
    const clerk = await loginAs(app, ctx, ['clerk']);
    expect((await app.request('/verwaltung/benutzer', { headers: { cookie: clerk.cookie } })).status).toBe(403);
    expect((await app.request('/verwaltung/einstellungen', { headers: { cookie: clerk.cookie } })).status).toBe(403);
    const forged = await app.request('/verwaltung/benutzer', {
      method: 'POST',
      headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${clerk.csrf}&displayName=X&email=x%40northeim.example&roles=admin`,
    });
    expect(forged.status).toBe(403);
    expect(await findUserByEmail(ctx.db, 'x@northeim.example')).toBeNull();
    const home = await (await app.request('/verwaltung', { headers: { cookie: clerk.cookie } })).text();
    expect(home).not.toContain('href="/verwaltung/benutzer"');
    expect(home).toContain('href="/verwaltung/passwort"');
    expect((await app.request('/verwaltung/einstellungen')).status).toBe(303);
  });

  it('saves the legal texts, shows them publicly and audits the change', async () => {
    const { cookie, csrf } = await loginAs(app, ctx, ['admin']);
    const page = await (await app.request('/verwaltung/einstellungen', { headers: { cookie } })).text();
    expect(page).toContain('<label class="kern-label" for="f-impressum">Impressum</label>');
    const body = new URLSearchParams({
      _csrf: csrf,
      impressum: 'Stadt Northeim\r\n\r\nScharnhorstplatz 1',
      datenschutz: 'Datenschutz <script>alert(1)</script>',
      barrierefreiheit: '',
    });
    const bad = await app.request('/verwaltung/einstellungen', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(bad.status).toBe(422);
    body.set('barrierefreiheit', 'Wir bemühen uns um Barrierefreiheit.');
    const ok = await app.request('/verwaltung/einstellungen', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(ok.headers.get('location')).toBe('/verwaltung/einstellungen?hinweis=gespeichert');
    const imprint = await (await app.request('/impressum')).text();
    expect(imprint).toContain('<p class="kern-body">Stadt Northeim</p>');
    expect(imprint).toContain('<p class="kern-body">Scharnhorstplatz 1</p>');
    const privacy = await (await app.request('/datenschutz')).text();
    expect(privacy).toContain('&lt;script&gt;');
    const [entry] = await execRows<{ action: string; summary: unknown }>(
      ctx.db,
      sql`SELECT action, summary FROM audit_log WHERE action = 'settings.legal_update'`,
    );
    expect(entry).toBeTruthy();
    expect(JSON.stringify(entry!.summary)).not.toContain('Scharnhorst');
  });
});
