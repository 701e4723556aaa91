import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/core/context.ts';
import type { AppRouter } from '../../src/core/http/app.ts';
import { insertUser } from '../../src/core/auth/repository.ts';
import { createSession, CSRF_COOKIE, SESSION_COOKIE } from '../../src/core/auth/sessions.ts';

// A fixed argon2id hash (of a random, unknown password): creating test users stays fast and
// nobody can log in with a password – tests use the session directly.
const UNUSABLE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$doixK3NXQgzd8R6iWDN/IA$QXYo9GWvt36OIkOgTnb1koQUHBHMarapngrLVWj/vSw';

export interface TestLogin {
  /** Cookie header value with `lotse_session` and `lotse_csrf`. */
  cookie: string;
  /** The session's CSRF token: send as `x-csrf-token` header or `_csrf` form field. */
  csrf: string;
  userId: string;
}

/**
 * Creates an active staff account with the given roles and a session for it, directly in the
 * database (no login form, no rate limit). Use it to test staff routes:
 * @example
 * const { cookie, csrf } = await loginAs(app, ctx, ['clerk']);
 * const res = await app.request('/verwaltung/x', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
 */
export async function loginAs(
  _app: AppRouter | null,
  ctx: AppContext,
  roles: string[],
  opts: { department?: string | null; mustChangePassword?: boolean; displayName?: string; email?: string } = {},
): Promise<TestLogin> {
  const suffix = randomBytes(4).toString('hex');
  const user = await insertUser(ctx.db, {
    email: opts.email ?? `test-${roles.join('-') || 'none'}-${suffix}@northeim.example`,
    displayName: opts.displayName ?? `Test ${roles.join(', ') || 'ohne Rolle'}`,
    passwordHash: UNUSABLE_HASH,
    roles,
    department: opts.department ?? null,
    mustChangePassword: opts.mustChangePassword ?? false,
  });
  const session = await createSession(ctx.db, user.id, ctx.now());
  return { cookie: `${SESSION_COOKIE}=${session.token}; ${CSRF_COOKIE}=${session.csrfToken}`, csrf: session.csrfToken, userId: user.id };
}

/**
 * Cookie and CSRF token for an anonymous visitor (for public forms outside /api/v1):
 * fetches `path` once and returns the `lotse_csrf` cookie the app set.
 * @example
 * const { cookie, csrf } = await csrfHeaders(app);
 * await app.request('/termine/buchen', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${csrf}&…` });
 */
export async function csrfHeaders(
  app: AppRouter,
  path = '/health-csrf-probe',
): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }> {
  const res = await app.request(path);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  if (!setCookie) throw new Error(`no ${CSRF_COOKIE} cookie set by GET ${path}`);
  const csrf = setCookie.split(';')[0]!.slice(CSRF_COOKIE.length + 1);
  const cookie = `${CSRF_COOKIE}=${csrf}`;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}
