import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import type { AppContext } from '../context.ts';
import type { AppRouter } from '../http/app.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { csrfHeaders, loginAs } from '../../../test/helpers/auth.ts';
import { requirePermission } from './guard.ts';
import { resolveSession, SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from './sessions.ts';

let clock = new Date('2026-03-02T08:00:00Z');
let ctx: AppContext;
let app: AppRouter;

beforeAll(async () => {
  ctx = await createTestContext({}, () => clock);
  app = buildApp(ctx);
  // Probe routes registered on the real app, behind the real middleware.
  app.post('/probe/form', async (c) => {
    const body = await c.req.parseBody();
    return c.json({ user: c.var.user?.id ?? null, field: body['feld'] ?? null });
  });
  app.post('/probe/text', async (c) => c.json({ text: await c.req.text() }));
  app.post('/api/v1/probe', (c) => c.json({ user: c.var.user?.id ?? null }));
  app.get('/probe/staff', requirePermission('staff.access'), (c) => c.text(`hallo ${c.var.user!.id}`));
  app.get('/probe/admin', requirePermission('admin.users'), (c) => c.text('admin'));
});
afterAll(() => ctx.database.close());

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('CSRF', () => {
  it('gives every visitor an HttpOnly SameSite=Lax lotse_csrf cookie', async () => {
    const res = await app.request('/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lotse_csrf='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const token = cookie!.split(';')[0]!.split('=')[1]!;
    expect(await res.text()).toContain(`<meta name="csrf-token" content="${token}"`);
  });

  it('rejects an anonymous form POST without token with 403 and a German message', async () => {
    const { cookie } = await csrfHeaders(app);
    const res = await app.request('/probe/form', { method: 'POST', headers: { ...FORM, cookie }, body: form({ feld: 'x' }) });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Sicherheitsmerkmal');
  });

  it('rejects a wrong token and a token without cookie', async () => {
    const { cookie, csrf } = await csrfHeaders(app);
    const other = await csrfHeaders(app);
    expect(
      (await app.request('/probe/form', { method: 'POST', headers: { ...FORM, cookie }, body: form({ _csrf: other.csrf }) })).status,
    ).toBe(403);
    expect((await app.request('/probe/form', { method: 'POST', headers: { ...FORM }, body: form({ _csrf: csrf }) })).status).toBe(403);
  });

  it('accepts the form field and keeps the parsed body readable for the handler', async () => {
    const { cookie, csrf } = await csrfHeaders(app);
    const res = await app.request('/probe/form', {
      method: 'POST',
      headers: { ...FORM, cookie },
      body: form({ _csrf: csrf, feld: 'Wert ä' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: null, field: 'Wert ä' });
    const t = await app.request('/probe/text', { method: 'POST', headers: { ...FORM, cookie }, body: form({ _csrf: csrf, a: 'b' }) });
    expect(await t.json()).toEqual({ text: form({ _csrf: csrf, a: 'b' }) });
  });

  it('accepts multipart forms and the x-csrf-token header', async () => {
    const { cookie, csrf } = await csrfHeaders(app);
    const fd = new FormData();
    fd.set('_csrf', csrf);
    fd.set('feld', 'multi');
    const res = await app.request('/probe/form', { method: 'POST', headers: { cookie }, body: fd });
    expect(await res.json()).toEqual({ user: null, field: 'multi' });
    const h = await app.request('/probe/text', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf }, body: 'roh' });
    expect(await h.json()).toEqual({ text: 'roh' });
  });

  it('does not check anonymous /api/v1 calls but checks session-authenticated ones', async () => {
    expect((await app.request('/api/v1/probe', { method: 'POST' })).status).toBe(200);
    const s = await loginAs(app, ctx, ['clerk']);
    expect((await app.request('/api/v1/probe', { method: 'POST', headers: { cookie: s.cookie } })).status).toBe(403);
    const ok = await app.request('/api/v1/probe', { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(await ok.json()).toEqual({ user: s.userId });
  });

  it('with a session expects the session token, not just any matching cookie', async () => {
    const s = await loginAs(app, ctx, ['clerk']);
    const anon = await csrfHeaders(app);
    const planted = s.cookie.replace(/lotse_csrf=[^;]+/, `lotse_csrf=${anon.csrf}`);
    const res = await app.request('/probe/form', {
      method: 'POST',
      headers: { ...FORM, cookie: planted },
      body: form({ _csrf: anon.csrf }),
    });
    expect(res.status).toBe(403);
    const good = await app.request('/probe/form', {
      method: 'POST',
      headers: { ...FORM, cookie: s.cookie },
      body: form({ _csrf: s.csrf }),
    });
    expect(await good.json()).toMatchObject({ user: s.userId });
  });
});

describe('sessions', () => {
  it('loginAs opens a session that the guard accepts; permissions are enforced', async () => {
    const s = await loginAs(app, ctx, ['clerk']);
    const res = await app.request('/probe/staff', { headers: { cookie: s.cookie } });
    expect(await res.text()).toBe(`hallo ${s.userId}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await app.request('/probe/admin', { headers: { cookie: s.cookie } })).status).toBe(403);
  });

  it('redirects anonymous visitors of staff pages to the login page with a return path', async () => {
    const res = await app.request('/probe/staff');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/anmelden?zurueck=%2Fprobe%2Fstaff');
  });

  it('expires after the idle timeout', async () => {
    const s = await loginAs(app, ctx, ['clerk']);
    const token = /lotse_session=([^;]+)/.exec(s.cookie)![1]!;
    const start = clock;
    clock = new Date(start.getTime() + (SESSION_IDLE_SECONDS - 60) * 1000);
    expect(await resolveSession(ctx.db, token, clock)).not.toBeNull();
    clock = new Date(clock.getTime() + SESSION_IDLE_SECONDS * 1000 + 1000);
    const res = await app.request('/probe/staff', { headers: { cookie: s.cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('lotse_session=;'))).toBe(true);
  });

  it('expires after the absolute lifetime even when active', async () => {
    const s = await loginAs(app, ctx, ['clerk']);
    const token = /lotse_session=([^;]+)/.exec(s.cookie)![1]!;
    const start = clock;
    for (let h = 2; h * 3600 < SESSION_ABSOLUTE_SECONDS; h += 2) {
      clock = new Date(start.getTime() + h * 3600_000);
      expect(await resolveSession(ctx.db, token, clock)).not.toBeNull();
    }
    clock = new Date(start.getTime() + SESSION_ABSOLUTE_SECONDS * 1000);
    expect(await resolveSession(ctx.db, token, clock)).toBeNull();
  });
});

describe('API answers', () => {
  it('do not set a CSRF cookie for anonymous machine clients', async () => {
    const res = await app.request('/api/v1/openapi.json');
    expect(res.headers.getSetCookie().filter((c) => c.startsWith('lotse_csrf='))).toEqual([]);
  });
});
