import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';
import { CSRF_COOKIE, resolveSession, SESSION_COOKIE } from './sessions.ts';
import { randomToken, safeEqual } from './tokens.ts';

/** Secure cookies when forced on, or (auto) when the public base URL is https. */
export function cookieSecure(config: Pick<Config, 'LOTSE_COOKIE_SECURE' | 'baseUrl'>): boolean {
  if (config.LOTSE_COOKIE_SECURE === 'on') return true;
  if (config.LOTSE_COOKIE_SECURE === 'off') return false;
  return config.baseUrl.startsWith('https://');
}

const cookieOptions = (c: Context<AppEnv>) =>
  ({ path: '/', httpOnly: true, sameSite: 'Lax', secure: cookieSecure(c.var.ctx.config) }) as const;

/** Sets the session and CSRF cookies after a login. */
export function setSessionCookies(c: Context<AppEnv>, token: string, csrfToken: string): void {
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c));
  setCookie(c, CSRF_COOKIE, csrfToken, cookieOptions(c));
}

/** Removes the session cookie and issues a fresh anonymous CSRF token (logout). */
export function clearSessionCookies(c: Context<AppEnv>): string {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
  const csrf = randomToken();
  setCookie(c, CSRF_COOKIE, csrf, cookieOptions(c));
  c.set('csrfToken', csrf);
  return csrf;
}

/** The German message of a CSRF rejection (403). */
export const CSRF_MESSAGE =
  'Die Anfrage wurde aus Sicherheitsgründen abgelehnt, weil das Sicherheitsmerkmal (CSRF-Token) fehlt oder nicht passt. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;
const isApiPath = (path: string) => path === '/api/v1' || path.startsWith('/api/v1/');

async function submittedToken(c: Context<AppEnv>, allowForm: boolean): Promise<string | undefined> {
  const header = c.req.header('x-csrf-token');
  if (header) return header;
  if (!allowForm) return undefined;
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') return undefined;
  // Hono caches the parsed form (c.req.bodyCache), so handlers can still call
  // c.req.parseBody()/formData()/text() afterwards. They must not read c.req.raw directly.
  const body = await c.req.parseBody();
  const v = body['_csrf'];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Loads the staff session into `c.var.user` and enforces CSRF on state-changing requests.
 *
 * CSRF design (docs/modules/auth.md): every visitor gets an HttpOnly `lotse_csrf` cookie; the
 * token is rendered into pages (`<meta name="csrf-token">`, hidden `_csrf` fields, htmx
 * `hx-headers`). Non-GET requests outside `/api/v1` must send it as `_csrf` or `x-csrf-token`.
 * With a session the expected value is the session's own token (stored server-side, rotated
 * at login), so a planted cookie cannot help an attacker. `/api/v1` requests are checked only
 * when they carry the session cookie (anonymous API calls have no ambient credentials).
 */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ctx = c.var.ctx;
  const opts = cookieOptions(c);
  const token = getCookie(c, SESSION_COOKIE);
  const session = token ? await resolveSession(ctx.db, token, ctx.now()) : null;
  if (token && !session) deleteCookie(c, SESSION_COOKIE, opts);

  const cookieCsrf = getCookie(c, CSRF_COOKIE);
  const validCookieCsrf = cookieCsrf && TOKEN_SHAPE.test(cookieCsrf) ? cookieCsrf : undefined;
  let csrf: string;
  if (session) {
    csrf = session.csrfToken;
    if (cookieCsrf !== csrf) setCookie(c, CSRF_COOKIE, csrf, opts);
  } else if (validCookieCsrf) {
    csrf = validCookieCsrf;
  } else if (isApiPath(c.req.path)) {
    // Machine clients of the public API need no token (and no cookie on every answer).
    csrf = '';
  } else {
    csrf = randomToken();
    setCookie(c, CSRF_COOKIE, csrf, opts);
  }
  c.set('user', session?.user ?? null);
  c.set('csrfToken', csrf);

  if (!SAFE_METHODS.has(c.req.method)) {
    const api = isApiPath(c.req.path);
    if (!api || session) {
      // Anonymous: double submit against the cookie the browser sent (a freshly minted one does not count).
      const expected = session ? session.csrfToken : validCookieCsrf;
      const sent = await submittedToken(c, !api);
      if (!expected || !sent || !safeEqual(sent, expected)) throw new AppError('forbidden', CSRF_MESSAGE, { reason: 'csrf' });
    }
  }

  await next();
  // Pages of a logged-in person must not end up in shared caches or the back/forward cache.
  if (session && !c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
};
