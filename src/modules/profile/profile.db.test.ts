import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { resolveCitizenSession } from './citizen-session.ts';
import { completeSignIn, inspectSignInLink } from './complete-sign-in.ts';
import { deleteAccount } from './delete-account.ts';
import { exportAccount } from './export-account.ts';
import { giveConsent } from './give-consent.ts';
import { loadProfile, saveProfile } from './save-profile.ts';
import { applyProfileRetention, monthsBefore } from './apply-retention.ts';
import { CONSENT_VERSION } from './profile-data.ts';
import { requestSignIn } from './request-sign-in.ts';

let clock = new Date('2026-11-25T10:00:00Z');
let ctx: AppContext;

const PROFILE = {
  situations: ['umzug', 'hund'],
  done: ['nom-ummeldung'],
  easy: true,
  large: false,
  english: false,
  idExpiry: '2027-03-01',
  passExpiry: '',
};

/** The token from the newest sign-in mail to `to` in the outbox. */
async function lastLinkToken(c: AppContext, to: string): Promise<string> {
  const [row] = await execRows<{ text_body: string }>(
    c.db,
    sql`SELECT text_body FROM outbox WHERE to_address = ${to} AND kind = 'profile-signin' ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  const m = /\/mein-northeim\/konto\/link\?t=(\S+)/.exec(row?.text_body ?? '');
  if (!m) throw new Error('no sign-in mail');
  return decodeURIComponent(m[1]!);
}

async function signUp(c: AppContext, email: string) {
  await requestSignIn(c, { email, ip: null, lang: 'de' });
  const token = await lastLinkToken(c, email.toLowerCase());
  return completeSignIn(c, { token, consent: true });
}

const count = async (c: AppContext, table: string) =>
  Number((await execRows<{ n: number }>(c.db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`))[0]!.n);

beforeAll(async () => {
  ctx = await createTestContext({ LOTSE_BASE_URL: 'https://lotse.northeim.example' }, () => clock);
});
afterAll(async () => {
  await ctx?.database.close();
});
beforeEach(() => {
  clock = new Date(clock.getTime() + 2 * 3600_000); // fresh rate-limit windows per test
});

describe('sign-in by e-mail link', () => {
  it('sends a one-time link through the outbox and stores no account before confirmation', async () => {
    await requestSignIn(ctx, { email: '  Anna@Example.org ', ip: '203.0.113.5', lang: 'de' });
    const token = await lastLinkToken(ctx, 'anna@example.org');
    const [mail] = await execRows<{ subject: string; text_body: string }>(
      ctx.db,
      sql`SELECT subject, text_body FROM outbox WHERE to_address = 'anna@example.org'`,
    );
    expect(mail!.subject).toMatch(/Anmeldelink/);
    expect(mail!.text_body).toContain('https://lotse.northeim.example/mein-northeim/konto/link?t=');
    expect(mail!.text_body).toMatch(/20 Minuten/);
    expect(await count(ctx, 'profile_accounts')).toBe(0);
    // The database keeps only the hash of the link's random part.
    const [tok] = await execRows<{ id: string }>(ctx.db, sql`SELECT id FROM profile_login_tokens WHERE email = 'anna@example.org'`);
    expect(token).not.toContain(tok!.id);
    expect(tok!.id).toMatch(/^[0-9a-f]{64}$/);
    const info = await inspectSignInLink(ctx, token);
    expect(info).toMatchObject({ maskedEmail: 'a***@example.org', isNew: true, needsConsent: true });
  });

  it('creates the account only with consent; without it nothing is stored and the link stays valid', async () => {
    await requestSignIn(ctx, { email: 'bernd@example.org', ip: null, lang: 'de' });
    const token = await lastLinkToken(ctx, 'bernd@example.org');
    await expect(completeSignIn(ctx, { token, consent: false })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/Einwilligung/),
    });
    expect(await count(ctx, 'profile_accounts')).toBe(0);
    const r = await completeSignIn(ctx, { token, consent: true });
    expect(r.created).toBe(true);
    const [acc] = await execRows<{ email: string; consent_version: string; consent_at: Date | string; profile: unknown }>(
      ctx.db,
      sql`SELECT email, consent_version, consent_at, profile FROM profile_accounts WHERE id = ${r.accountId}`,
    );
    expect(acc).toMatchObject({ email: 'bernd@example.org', consent_version: CONSENT_VERSION, profile: null });
    expect(new Date(acc!.consent_at).toISOString()).toBe(clock.toISOString());
    const s = await resolveCitizenSession(ctx, r.token);
    expect(s?.account.id).toBe(r.accountId);
    expect(s?.csrfToken).toBe(r.csrfToken);
    const audit = await execRows<{ action: string; object_id: string | null; summary: unknown }>(
      ctx.db,
      sql`SELECT action, object_id, summary FROM audit_log WHERE action LIKE 'profile.%'`,
    );
    expect(audit.map((a) => a.action)).toContain('profile.account.create');
    expect(JSON.stringify(audit)).not.toMatch(/bernd|@/);
  });

  it('refuses a replayed link with a clear German message', async () => {
    await requestSignIn(ctx, { email: 'carla@example.org', ip: null, lang: 'de' });
    const token = await lastLinkToken(ctx, 'carla@example.org');
    await completeSignIn(ctx, { token, consent: true });
    const replay = completeSignIn(ctx, { token, consent: true });
    await expect(replay).rejects.toMatchObject({ code: 'gone', details: { reason: 'used' } });
    await expect(completeSignIn(ctx, { token, consent: true })).rejects.toThrow(
      'Dieser Anmeldelink wurde bereits verwendet. Jeder Link gilt nur einmal – bitte fordern Sie einen neuen Anmeldelink an.',
    );
    await expect(inspectSignInLink(ctx, token)).rejects.toMatchObject({ details: { reason: 'used' } });
  });

  it('refuses an expired link', async () => {
    await requestSignIn(ctx, { email: 'dora@example.org', ip: null, lang: 'de' });
    const token = await lastLinkToken(ctx, 'dora@example.org');
    clock = new Date(clock.getTime() + 21 * 60_000);
    await expect(inspectSignInLink(ctx, token)).rejects.toMatchObject({ code: 'gone', details: { reason: 'expired' } });
    await expect(completeSignIn(ctx, { token, consent: true })).rejects.toThrow(/Der Anmeldelink ist abgelaufen\..*neuen Anmeldelink an/);
    expect((await execRows(ctx.db, sql`SELECT 1 FROM profile_accounts WHERE email = 'dora@example.org'`)).length).toBe(0);
  });

  it('refuses forged, truncated and foreign links', async () => {
    await requestSignIn(ctx, { email: 'emil@example.org', ip: null, lang: 'de' });
    const token = await lastLinkToken(ctx, 'emil@example.org');
    const [nonce, exp, mac] = token.split('.') as [string, string, string];
    const forged = [
      `${nonce}.${Number(exp) + 86400}.${mac}`, // longer validity
      `${nonce}.${exp}.${mac.slice(0, -2)}AA`, // different signature
      `${nonce.slice(0, -1)}x.${exp}.${mac}`, // different nonce
      `${nonce}.${exp}`, // truncated
      '',
      'x'.repeat(500),
    ];
    for (const f of forged) {
      await expect(completeSignIn(ctx, { token: f, consent: true })).rejects.toMatchObject({
        code: 'gone',
        details: { reason: 'invalid' },
      });
    }
    await expect(inspectSignInLink(ctx, `${nonce}.${exp}.${mac.slice(0, -2)}AA`)).rejects.toThrow(
      /Der Anmeldelink ist ungültig oder unvollständig/,
    );
    // A correctly signed link from another installation (other secret) is forged too.
    const other = await createTestContext({ LOTSE_SECRET: 'z'.repeat(40) }, () => clock);
    try {
      await requestSignIn(other, { email: 'emil@example.org', ip: null, lang: 'de' });
      const foreign = await lastLinkToken(other, 'emil@example.org');
      await expect(completeSignIn(ctx, { token: foreign, consent: true })).rejects.toMatchObject({ details: { reason: 'invalid' } });
    } finally {
      await other.database.close();
    }
    // The genuine link still works.
    await expect(completeSignIn(ctx, { token, consent: true })).resolves.toMatchObject({ created: true });
  });

  it('validates the address and rate-limits sign-in mails per address and per IP', async () => {
    await expect(requestSignIn(ctx, { email: 'keine-adresse', ip: null, lang: 'de' })).rejects.toMatchObject({
      code: 'validation',
      details: { fields: [{ field: 'email', message: expect.stringMatching(/gültige E-Mail-Adresse/) }] },
    });
    for (let i = 0; i < 3; i++) await requestSignIn(ctx, { email: 'flut@example.org', ip: null, lang: 'de' });
    await expect(requestSignIn(ctx, { email: 'flut@example.org', ip: null, lang: 'de' })).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/zu viele Anmeldelinks/i),
    });
    for (let i = 0; i < 10; i++) await requestSignIn(ctx, { email: `ip${i}@example.org`, ip: '198.51.100.7', lang: 'de' });
    await expect(requestSignIn(ctx, { email: 'ip99@example.org', ip: '198.51.100.7', lang: 'de' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    const keys = await execRows<{ key: string }>(ctx.db, sql`SELECT key FROM rate_limits WHERE key LIKE 'profile:%'`);
    expect(JSON.stringify(keys)).not.toMatch(/flut|198\.51/);
  });
});

describe('profile, consent, export and delete', () => {
  it('stores the browser-shaped profile only with current consent', async () => {
    const { accountId } = await signUp(ctx, 'frida@example.org');
    const saved = await saveProfile(ctx, accountId, { ...PROFILE, tracking: 'nope' });
    expect(saved.profile).toEqual(PROFILE); // unknown keys dropped
    expect((await loadProfile(ctx, accountId)).profile).toEqual(PROFILE);
    await expect(saveProfile(ctx, accountId, { ...PROFILE, idExpiry: 'bald' })).rejects.toMatchObject({ code: 'validation' });
    await expect(saveProfile(ctx, accountId, { ...PROFILE, situations: ['<script>'] })).rejects.toMatchObject({ code: 'validation' });
    await expect(
      saveProfile(ctx, accountId, { ...PROFILE, done: Array.from({ length: 2000 }, (_, i) => `nom-eine-lange-leistung-${i}`) }),
    ).rejects.toMatchObject({ code: 'payload_too_large' });

    // The consent text changes: nothing is stored until the person consents again.
    await ctx.db.execute(sql`UPDATE profile_accounts SET consent_version = '2020-01-01' WHERE id = ${accountId}`);
    await expect(saveProfile(ctx, accountId, { ...PROFILE, large: true })).rejects.toMatchObject({
      code: 'forbidden',
      details: { reason: 'consent' },
    });
    expect((await loadProfile(ctx, accountId)).profile?.large).toBe(false);
    await expect(giveConsent(ctx, accountId, false)).rejects.toMatchObject({ code: 'validation' });
    await giveConsent(ctx, accountId, true);
    await expect(saveProfile(ctx, accountId, { ...PROFILE, large: true })).resolves.toMatchObject({ profile: { large: true } });
  });

  it('asks an account with outdated consent to renew it when signing in', async () => {
    const { accountId } = await signUp(ctx, 'gert@example.org');
    await ctx.db.execute(sql`UPDATE profile_accounts SET consent_version = '2020-01-01' WHERE id = ${accountId}`);
    await requestSignIn(ctx, { email: 'gert@example.org', ip: null, lang: 'de' });
    const token = await lastLinkToken(ctx, 'gert@example.org');
    expect(await inspectSignInLink(ctx, token)).toMatchObject({ isNew: false, needsConsent: true });
    await expect(completeSignIn(ctx, { token, consent: false })).rejects.toMatchObject({ code: 'validation' });
    await expect(completeSignIn(ctx, { token, consent: true })).resolves.toMatchObject({ created: false, accountId });
    expect((await loadProfile(ctx, accountId)).consentCurrent).toBe(true);
  });

  it('exports everything stored for the account as JSON', async () => {
    const { accountId } = await signUp(ctx, 'hanna@example.org');
    await saveProfile(ctx, accountId, PROFILE);
    const data = await exportAccount(ctx, accountId);
    expect(data).toMatchObject({
      format: 'lotse-mein-northeim-konto/1',
      account: { email: 'hanna@example.org' },
      consent: { version: CONSENT_VERSION, current: true },
      profile: PROFILE,
    });
    expect(data.sessions).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it('deletes account, profile, sessions, links and sent sign-in mails at once; the audit names nobody', async () => {
    const r = await signUp(ctx, 'ida@example.org');
    await saveProfile(ctx, r.accountId, PROFILE);
    await requestSignIn(ctx, { email: 'ida@example.org', ip: null, lang: 'de' }); // a pending link
    await ctx.db.execute(sql`UPDATE outbox SET status = 'sent' WHERE to_address = 'ida@example.org'`);
    await deleteAccount(ctx, r.accountId);
    expect((await execRows(ctx.db, sql`SELECT 1 FROM profile_accounts WHERE id = ${r.accountId}`)).length).toBe(0);
    expect((await execRows(ctx.db, sql`SELECT 1 FROM profile_sessions WHERE account_id = ${r.accountId}`)).length).toBe(0);
    expect((await execRows(ctx.db, sql`SELECT 1 FROM profile_login_tokens WHERE email = 'ida@example.org'`)).length).toBe(0);
    expect((await execRows(ctx.db, sql`SELECT 1 FROM outbox WHERE to_address = 'ida@example.org'`)).length).toBe(0);
    expect(await resolveCitizenSession(ctx, r.token)).toBeNull();
    const [audit] = await execRows<{ actor_type: string; actor_id: string | null; object_id: string | null; summary: unknown }>(
      ctx.db,
      sql`SELECT actor_type, actor_id, object_id, summary FROM audit_log WHERE action = 'profile.account.delete' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({ actor_type: 'citizen', actor_id: null, object_id: null });
    expect(JSON.stringify(audit)).not.toMatch(/ida|@|umzug/);
    await expect(deleteAccount(ctx, r.accountId)).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});

describe('automatic deletion of unused accounts', () => {
  it('deletes accounts unused for LOTSE_PROFILE_INACTIVE_MONTHS months and keeps active ones', async () => {
    const c = await createTestContext({ LOTSE_PROFILE_INACTIVE_MONTHS: '6' }, () => clock);
    try {
      const old = await signUp(c, 'alt@example.org');
      const fresh = await signUp(c, 'neu@example.org');
      await saveProfile(c, old.accountId, PROFILE);
      await c.db.execute(
        sql`UPDATE profile_accounts SET last_used_at = ${monthsBefore(clock, 7).toISOString()} WHERE id = ${old.accountId}`,
      );
      await c.db.execute(
        sql`UPDATE profile_accounts SET last_used_at = ${monthsBefore(clock, 5).toISOString()} WHERE id = ${fresh.accountId}`,
      );
      const soon = await signUp(c, 'bald@example.org');
      await c.db.execute(
        sql`UPDATE profile_accounts SET last_used_at = ${new Date(monthsBefore(clock, 6).getTime() + 10 * 86400_000).toISOString()} WHERE id = ${soon.accountId}`,
      );
      const r = await applyProfileRetention(c);
      expect(r.accountsDeleted).toBe(1);
      // The account that is due within 30 days gets one warning mail, naming the date.
      expect(r.warned).toBe(1);
      const warn = await execRows<{ subject: string; text_body: string }>(
        c.db,
        sql`SELECT subject, text_body FROM outbox WHERE kind = 'profile-notice'`,
      );
      expect(warn).toHaveLength(1);
      expect(warn[0]!.subject).toMatch(/wird bald gelöscht/);
      expect(warn[0]!.text_body).toMatch(/am \d{1,2}\. \w+ \d{4} mit Ihrem Profil automatisch gelöscht/);
      expect(r.cutoff).toBe(monthsBefore(clock, 6).toISOString());
      const left = await execRows<{ email: string }>(c.db, sql`SELECT email FROM profile_accounts ORDER BY email`);
      expect(left.map((x) => x.email)).toEqual(['bald@example.org', 'neu@example.org']);
      expect((await execRows(c.db, sql`SELECT 1 FROM profile_sessions WHERE account_id = ${old.accountId}`)).length).toBe(0);
      const [audit] = await execRows<{ summary: Record<string, unknown> }>(
        c.db,
        sql`SELECT summary FROM audit_log WHERE action = 'profile.retention'`,
      );
      expect(audit!.summary).toMatchObject({ months: 6, accountsDeleted: 1 });
      expect(JSON.stringify(audit)).not.toMatch(/@/);
      // Idempotent; a second run finds nothing and warns nobody twice.
      expect(await applyProfileRetention(c)).toMatchObject({ accountsDeleted: 0, warned: 0 });
      await deleteAccount(c, soon.accountId);
      // Using the account keeps it alive: a session use more than a day after the last touch counts.
      clock = new Date(clock.getTime() + 2 * 86400_000);
      await resolveCitizenSession(c, fresh.token);
      clock = new Date(monthsBefore(clock, -6).getTime() - 86400_000);
      // Not deleted (used 6 months minus a day ago), but now due within 30 days: warned.
      expect(await applyProfileRetention(c)).toMatchObject({ accountsDeleted: 0, warned: 1 });
    } finally {
      await c.database.close();
    }
  });

  it('is registered as a daily recurring job', async () => {
    const { module } = await import('./index.ts');
    expect(module.recurring).toEqual([{ queue: 'profile.retention', dailyAt: '03:40' }]);
    expect(Object.keys(module.jobs ?? {})).toContain('profile.retention');
  });
});

describe('HTTP: cookies, CSRF and pages', () => {
  it('runs sign-in, sync, export and delete through the pages with a separate citizen cookie', async () => {
    const app = buildApp(ctx);
    const jar = new Map<string, string>();
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const keep = (res: Response) => {
      for (const c of res.headers.getSetCookie()) {
        const [kv] = c.split(';');
        const [k, v] = kv!.split('=') as [string, string];
        if (v === '' || /Max-Age=0/i.test(c)) jar.delete(k);
        else jar.set(k, v);
      }
      return res;
    };
    const get = async (path: string, headers: Record<string, string> = {}) =>
      keep(await app.request(path, { headers: { cookie: cookie(), ...headers } }));
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const postForm = async (path: string, fields: Record<string, string>) =>
      keep(
        await app.request(path, {
          method: 'POST',
          headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        }),
      );

    const page = await get('/mein-northeim/konto');
    const html = await page.text();
    expect(html).toContain('Profil auf dem Server speichern');
    expect(html).toContain('Was wird gespeichert');
    expect(page.headers.get('cache-control')).toBe('no-store');

    // Without the CSRF token the form post is refused.
    expect((await postForm('/mein-northeim/konto/anmelden', { email: 'jana@example.org' })).status).toBe(403);
    const sent = await postForm('/mein-northeim/konto/anmelden', { _csrf: csrfOf(html), email: 'jana@example.org' });
    expect(await sent.text()).toContain('Bitte prüfen Sie Ihr E-Mail-Postfach');
    const bad = await postForm('/mein-northeim/konto/anmelden', { _csrf: csrfOf(html), email: 'jana(at)example' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/gültige E-Mail-Adresse/);

    const token = await lastLinkToken(ctx, 'jana@example.org');
    const linkPage = await get(`/mein-northeim/konto/link?t=${encodeURIComponent(token)}`);
    const linkHtml = await linkPage.text();
    expect(linkHtml).toContain('j***@example.org');
    expect(linkHtml).toContain('Einwilligen und Konto anlegen');
    const noConsent = await postForm('/mein-northeim/konto/link', { _csrf: csrfOf(linkHtml), t: token });
    expect(noConsent.status).toBe(400);
    const done = await postForm('/mein-northeim/konto/link', { _csrf: csrfOf(linkHtml), t: token, consent: 'ja' });
    expect(done.status).toBe(303);
    const setCookies = done.headers.getSetCookie().join('\n');
    expect(setCookies).toMatch(/lotse_citizen=[^;]+; Max-Age=2592000; Path=\/mein-northeim; HttpOnly; Secure; SameSite=Lax/);
    expect(jar.has('lotse_session')).toBe(false); // no staff session

    const forgedPage = await get('/mein-northeim/konto/link?t=abc.123.def');
    expect(forgedPage.status).toBe(410);
    expect(await forgedPage.text()).toContain('Der Anmeldelink ist ungültig');
    const replayed = await get(`/mein-northeim/konto/link?t=${encodeURIComponent(token)}`);
    expect(replayed.status).toBe(410);
    expect(await replayed.text()).toContain('bereits verwendet');

    const account = await (await get('/mein-northeim/konto?hinweis=neu')).text();
    expect(account).toContain('Ihr Konto wurde angelegt');
    expect(account).toContain('jana@example.org');

    // The JSON endpoints the Mein-Northeim script uses.
    const status = (await (await get('/mein-northeim/konto/profil.json', { accept: 'application/json' })).json()) as {
      signedIn: boolean;
      csrfToken: string;
      profile: unknown;
    };
    expect(status).toMatchObject({ signedIn: true, profile: null });
    const put = (headers: Record<string, string>, body: string) =>
      app.request('/mein-northeim/konto/profil.json', {
        method: 'POST',
        headers: { cookie: cookie(), 'content-type': 'application/json', accept: 'application/json', ...headers },
        body,
      });
    expect((await put({}, JSON.stringify(PROFILE))).status).toBe(403);
    const ok = await put({ 'x-csrf-token': status.csrfToken }, JSON.stringify(PROFILE));
    expect(ok.status).toBe(200);
    expect((await put({ 'x-csrf-token': status.csrfToken }, '{kaputt')).status).toBe(400);
    // A planted anonymous CSRF cookie does not work against a citizen session.
    const planted = 'p'.repeat(43);
    const res = await app.request('/mein-northeim/konto/profil.json', {
      method: 'POST',
      headers: {
        cookie: `${cookie().replace(/lotse_csrf=[^;]+/, `lotse_csrf=${planted}`)}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': planted,
      },
      body: JSON.stringify(PROFILE),
    });
    expect(res.status).toBe(403);

    const exp = await get('/mein-northeim/konto/export');
    expect(exp.headers.get('content-disposition')).toContain('attachment');
    expect(((await exp.json()) as { profile: unknown }).profile).toEqual(PROFILE);

    const acc2 = await (await get('/mein-northeim/konto')).text();
    const noConfirm = await postForm('/mein-northeim/konto/loeschen', { _csrf: csrfOf(acc2) });
    expect(noConfirm.status).toBe(400);
    const del = await postForm('/mein-northeim/konto/loeschen', { _csrf: csrfOf(acc2), confirm: 'ja' });
    expect(await del.text()).toContain('Ihr Konto wurde gelöscht');
    expect(jar.has('lotse_citizen')).toBe(false);
    expect((await execRows(ctx.db, sql`SELECT 1 FROM profile_accounts WHERE email = 'jana@example.org'`)).length).toBe(0);
    expect(
      ((await (await get('/mein-northeim/konto/profil.json', { accept: 'application/json' })).json()) as { signedIn: boolean }).signedIn,
    ).toBe(false);
  });

  it('shows the optional server section on the Mein-Northeim page, browser-only stays the default', async () => {
    const app = buildApp(ctx);
    const html = await (await app.request('/mein-northeim')).text();
    expect(html).toContain('Profil auf dem Server speichern (freiwillig)');
    expect(html).toContain('/static/app/profile-sync.js');
    expect(html).toContain('href="/mein-northeim/konto"');
    const enRes = await app.request('/mein-northeim/konto?lang=en');
    const en = await enRes.text();
    expect(en).toContain('Keep your profile on the server');
    const csrfCookie = enRes.headers
      .getSetCookie()
      .find((x) => x.startsWith('lotse_csrf='))!
      .split(';')[0]!;
    const bad = await app.request('/mein-northeim/konto/anmelden?lang=en', {
      method: 'POST',
      headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfCookie.split('=')[1]!, email: 'nope' }).toString(),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Please enter a valid e-mail address');
  });
});
