import type { MiddlewareHandler } from 'hono';
import type { Actor } from './actor.ts';
import { AppError } from '../errors.ts';
import type { AppEnv, SessionUser } from '../http/env.ts';
import { can, type Permission } from './permissions.ts';

/** Where people with a one-time password are sent until they chose their own. */
export const CHANGE_PASSWORD_PATH = '/verwaltung/passwort';

/**
 * Route guard: staff pages redirect anonymous visitors to the login page; API calls get
 * 401/403 problem+json. People who still have a one-time password are sent to
 * the change-password page first. Use it in `routes.tsx`: `app.get('/verwaltung/x', requirePermission('audit.read'), handler)`.
 */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.var.user;
    if (!user) {
      if (c.req.path.startsWith('/api/') || c.req.method !== 'GET') throw new AppError('unauthenticated', 'Bitte melden Sie sich an.');
      return c.redirect(`/anmelden?zurueck=${encodeURIComponent(c.req.path)}`, 303);
    }
    if (user.mustChangePassword && c.req.path !== CHANGE_PASSWORD_PATH) {
      // A one-time password opens nothing but the form to choose a real one.
      if (c.req.method === 'GET' && !c.req.path.startsWith('/api/')) return c.redirect(CHANGE_PASSWORD_PATH, 303);
      throw new AppError('forbidden', 'Bitte ändern Sie zuerst Ihr Einmal-Passwort.');
    }
    if (!can(user.roles, permission)) throw new AppError('forbidden', 'Dafür fehlt Ihnen die Berechtigung.');
    await next();
  };
}

/** The actor for use cases from a logged-in staff member. */
export const userActor = (u: SessionUser): Actor => ({ type: 'user', id: u.id, roles: u.roles, department: u.department });

/** Throws forbidden unless the actor is a user with the permission (or the CLI/system). */
export function assertCan(actor: Actor, permission: Permission): void {
  if (actor.type === 'cli' || actor.type === 'system') return;
  if (actor.type !== 'user' || !can(actor.roles, permission)) throw new AppError('forbidden', 'Dafür fehlt Ihnen die Berechtigung.');
}
