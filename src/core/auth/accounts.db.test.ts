import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepare } from '../../boot.ts';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { execRows } from '../db/index.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { cliActor, type Actor } from './actor.ts';
import { changePassword } from './change-password.ts';
import { createUser } from './create-user.ts';
import { ensureFirstAdmin } from './first-start.ts';
import { listUsers } from './list-users.ts';
import { login, LOGIN_LIMITS } from './login.ts';
import { hitRateLimit, peekRateLimit, rateLimitKey } from './rate-limit.ts';
import { findUserByEmail } from './repository.ts';
import { resolveSession } from './sessions.ts';
import { deactivateUser, resetPassword, setUserRoles } from './update-user.ts';

let ctx: AppContext;
let clock = new Date('2026-10-25T00:30:00Z');
beforeAll(async () => {
  ctx = await createTestContext({ LOTSE_ADMIN_EMAIL: 'Chefin@Northeim.example' }, () => clock);
});
afterAll(() => ctx.database.close());

const auditActions = async () =>
  await execRows<{ action: string; summary: unknown; object_id: string }>(
    ctx.db,
    sql`SELECT action, summary, object_id FROM audit_log ORDER BY seq`,
  );

describe('first start', () => {
  it('creates one admin with a one-time password printed once, then never again', async () => {
    let printed = '';
    const otp = await ensureFirstAdmin(ctx, (s) => (printed += s));
    expect(otp).toMatch(/^[\w]{5}(-[\w]{5}){3}$/);
    expect(printed).toContain(otp!);
    expect(printed).toContain('chefin@northeim.example');
    const admin = (await findUserByEmail(ctx.db, 'chefin@northeim.example'))!;
    expect(admin.roles).toEqual(['admin']);
    expect(admin.mustChangePassword).toBe(true);
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
    expect(admin.passwordHash).not.toContain(otp!);
    let again = '';
    expect(await ensureFirstAdmin(ctx, (s) => (again += s))).toBeNull();
    expect(again).toBe('');
    const log = await auditActions();
    expect(log.at(-1)).toMatchObject({ action: 'user.create', object_id: admin.id });
    expect(JSON.stringify(log.at(-1)!.summary)).not.toContain('chefin');
  });

  it('the admin logs in with it and must choose a new password of at least 12 characters', async () => {
    const admin = (await findUserByEmail(ctx.db, 'chefin@northeim.example'))!;
    const otp = (await resetPassword(ctx, cliActor, admin.id)).oneTimePassword;
    const res = await login(ctx, { email: ' CHEFIN@northeim.example ', password: otp, ip: '10.0.0.1' });
    expect(res.mustChangePassword).toBe(true);
    const actor: Actor = { type: 'user', id: admin.id, roles: ['admin'], department: null };
    await expect(changePassword(ctx, actor, { newPassword: 'kurz', confirmPassword: 'kurz' })).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(changePassword(ctx, actor, { newPassword: otp, confirmPassword: otp })).rejects.toMatchObject({ code: 'validation' });
    await expect(
      changePassword(ctx, actor, { newPassword: 'ein langes Passwort', confirmPassword: 'ein anderes Passwort' }),
    ).rejects.toMatchObject({
      details: { fields: [{ field: 'confirmPassword' }] },
    });
    await changePassword(ctx, actor, { newPassword: 'Rathaus am Entenmarkt 1', confirmPassword: 'Rathaus am Entenmarkt 1' });
    expect((await findUserByEmail(ctx.db, 'chefin@northeim.example'))!.mustChangePassword).toBe(false);
    // The change ended the session opened with the one-time password.
    expect(await resolveSession(ctx.db, res.token, clock)).toBeNull();
    // From now on the current password is required.
    await expect(
      changePassword(ctx, actor, { newPassword: 'noch ein neues Passwort', confirmPassword: 'noch ein neues Passwort' }),
    ).rejects.toMatchObject({
      details: { fields: [{ field: 'currentPassword' }] },
    });
    await expect(login(ctx, { email: 'chefin@northeim.example', password: otp, ip: '10.0.0.1' })).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    expect(
      (await login(ctx, { email: 'chefin@northeim.example', password: 'Rathaus am Entenmarkt 1', ip: '10.0.0.1' })).mustChangePassword,
    ).toBe(false);
  });
});

describe('first start through prepare()', () => {
  it('creates exactly one admin even when two instances start at once, printing to stderr only', async () => {
    const fresh = await createTestContext({ LOTSE_ADMIN_EMAIL: 'start@northeim.example' });
    try {
      const logged: unknown[] = [];
      const log = new Proxy(fresh.log, {
        get: (t, k) =>
          typeof k === 'string' && ['info', 'warn', 'error', 'debug'].includes(k) ? (...a: unknown[]) => logged.push(a) : Reflect.get(t, k),
      });
      const ctx2 = { ...fresh, log };
      const writes: string[] = [];
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
      try {
        await Promise.all([prepare(ctx2), prepare(ctx2)]);
      } finally {
        spy.mockRestore();
      }
      const admins = await execRows<{ n: number }>(fresh.db, sql`SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles)`);
      expect(admins[0]!.n).toBe(1);
      const printed = writes.join('');
      const otp = /Einmal-Passwort:\s+(\S+)/.exec(printed)![1]!;
      expect(printed.split(otp).length - 1).toBe(1);
      expect(JSON.stringify(logged)).not.toContain(otp);
    } finally {
      await fresh.database.close();
    }
  });
});

describe('account use cases', () => {
  it('create, set roles, deactivate: validated, permission-checked, audited without personal data', async () => {
    const created = await createUser(ctx, cliActor, {
      email: 'Paula.Meier@northeim.example',
      displayName: 'Paula Meier',
      roles: ['clerk', 'clerk'],
      department: 'ordnung',
    });
    const row = (await findUserByEmail(ctx.db, 'paula.meier@northeim.example'))!;
    expect(row).toMatchObject({ id: created.id, roles: ['clerk'], department: 'ordnung', mustChangePassword: true, active: true });
    await expect(
      createUser(ctx, cliActor, { email: 'paula.meier@northeim.example', displayName: 'P', roles: ['clerk'] }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(createUser(ctx, cliActor, { email: 'x@northeim.example', displayName: 'X', roles: ['kaiser'] })).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(createUser(ctx, cliActor, { email: 'x@northeim.example', displayName: 'X', roles: [] })).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(
      createUser(ctx, cliActor, { email: 'x@northeim.example', displayName: 'X', roles: ['clerk'], department: 'mond' }),
    ).rejects.toMatchObject({ code: 'validation' });

    const clerk: Actor = { type: 'user', id: created.id, roles: ['clerk'], department: 'ordnung' };
    await expect(createUser(ctx, clerk, { email: 'y@northeim.example', displayName: 'Y', roles: ['admin'] })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(setUserRoles(ctx, clerk, created.id, { roles: ['admin'] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(deactivateUser(ctx, clerk, created.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listUsers(ctx, clerk)).rejects.toMatchObject({ code: 'forbidden' });

    await setUserRoles(ctx, cliActor, created.id, { roles: ['department_lead'], department: 'bauen' });
    expect((await findUserByEmail(ctx.db, 'paula.meier@northeim.example'))!).toMatchObject({
      roles: ['department_lead'],
      department: 'bauen',
    });
    await deactivateUser(ctx, cliActor, created.id);
    expect((await findUserByEmail(ctx.db, 'paula.meier@northeim.example'))!.active).toBe(false);

    const log = (await auditActions()).filter((a) => a.object_id === created.id).map((a) => a.action);
    expect(log).toEqual(['user.create', 'user.set_roles', 'user.deactivate']);
    const all = JSON.stringify(await auditActions());
    expect(all).not.toMatch(/paula|meier/i);
  });

  it('a deactivated account cannot log in and its sessions end', async () => {
    const c = await createUser(ctx, cliActor, { email: 'gehtbald@northeim.example', displayName: 'Geht', roles: ['council'] });
    const s = await login(ctx, { email: 'gehtbald@northeim.example', password: c.oneTimePassword, ip: '10.0.0.2' });
    expect(await resolveSession(ctx.db, s.token, clock)).not.toBeNull();
    await deactivateUser(ctx, cliActor, c.id);
    expect(await resolveSession(ctx.db, s.token, clock)).toBeNull();
    await expect(login(ctx, { email: 'gehtbald@northeim.example', password: c.oneTimePassword, ip: '10.0.0.2' })).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('keeps at least one active admin', async () => {
    const admin = (await findUserByEmail(ctx.db, 'chefin@northeim.example'))!;
    await expect(setUserRoles(ctx, cliActor, admin.id, { roles: ['clerk'] })).rejects.toMatchObject({ code: 'conflict' });
    await expect(deactivateUser(ctx, cliActor, admin.id)).rejects.toMatchObject({ code: 'conflict' });
    const self: Actor = { type: 'user', id: admin.id, roles: ['admin'], department: null };
    await expect(deactivateUser(ctx, self, admin.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('lists accounts without password hashes', async () => {
    const list = await listUsers(ctx, cliActor);
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(list)).not.toContain('argon2');
  });
});

describe('login rate limiting', () => {
  it(`blocks after ${LOGIN_LIMITS.perEmail} failures per e-mail for the window, even with the right password`, async () => {
    const c = await createUser(ctx, cliActor, { email: 'ziel@northeim.example', displayName: 'Ziel', roles: ['clerk'] });
    for (let i = 0; i < LOGIN_LIMITS.perEmail; i++) {
      await expect(login(ctx, { email: 'ziel@northeim.example', password: `falsch-${i}`, ip: `192.0.2.${i}` })).rejects.toMatchObject({
        code: 'unauthenticated',
      });
    }
    await expect(login(ctx, { email: 'ziel@northeim.example', password: c.oneTimePassword, ip: '192.0.2.99' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    // Other accounts are not affected; the rows hold no e-mail in clear text.
    const keys = await execRows<{ key: string }>(ctx.db, sql`SELECT key FROM rate_limits`);
    expect(JSON.stringify(keys)).not.toContain('ziel');
    clock = new Date(clock.getTime() + LOGIN_LIMITS.windowSeconds * 1000);
    expect((await login(ctx, { email: 'ziel@northeim.example', password: c.oneTimePassword, ip: '192.0.2.99' })).userId).toBe(c.id);
  });

  it(`blocks an IP after ${LOGIN_LIMITS.perIp} failures across e-mails`, async () => {
    clock = new Date(clock.getTime() + LOGIN_LIMITS.windowSeconds * 1000);
    for (let i = 0; i < LOGIN_LIMITS.perIp; i++) {
      await expect(login(ctx, { email: `niemand${i}@northeim.example`, password: 'x', ip: '198.51.100.7' })).rejects.toMatchObject({
        code: 'unauthenticated',
      });
    }
    await expect(
      login(ctx, { email: 'chefin@northeim.example', password: 'Rathaus am Entenmarkt 1', ip: '198.51.100.7' }),
    ).rejects.toMatchObject({ code: 'rate_limited' });
    expect(
      (await login(ctx, { email: 'chefin@northeim.example', password: 'Rathaus am Entenmarkt 1', ip: '198.51.100.8' })).userId,
    ).toBeTruthy();
  });

  it('hitRateLimit counts per fixed window, across calls, and respects LOTSE_RATE_LIMIT=off', async () => {
    const t = new Date('2026-03-29T00:59:00Z');
    const key = rateLimitKey('test', 'a');
    expect(key).toMatch(/^test:[0-9a-f]{32}$/);
    expect(await hitRateLimit(ctx.db, key, 2, 3600, t)).toMatchObject({ allowed: true, count: 1, retryAfterSeconds: 60 });
    expect(await hitRateLimit(ctx.db, key, 2, 3600, t)).toMatchObject({ allowed: true, count: 2 });
    expect(await hitRateLimit(ctx.db, key, 2, 3600, t)).toMatchObject({ allowed: false, count: 3 });
    expect(await peekRateLimit(ctx.db, key, 3600, t)).toBe(3);
    expect(await hitRateLimit(ctx.db, key, 2, 3600, new Date('2026-03-29T01:00:00Z'))).toMatchObject({ allowed: true, count: 1 });
    // Through the context: uses ctx.now() and the switch.
    expect((await hitRateLimit(ctx, rateLimitKey('test', 'ctx'), 1, 60)).count).toBe(1);
    const off = { ...ctx, config: { ...ctx.config, LOTSE_RATE_LIMIT: 'off' as const } };
    for (let i = 0; i < 5; i++) expect((await hitRateLimit(off, key, 1, 3600, t)).allowed).toBe(true);
    expect(await peekRateLimit(ctx.db, key, 3600, t)).toBe(3);
  });

  it('is shared by concurrent callers (no lost updates)', async () => {
    const key = rateLimitKey('test', 'parallel');
    const t = new Date('2026-05-01T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(ctx.db, key, 10, 60, t)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(results.filter((r) => !r.allowed)).toHaveLength(2);
  });
});
