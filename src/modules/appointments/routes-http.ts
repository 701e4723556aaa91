import type { Context } from 'hono';
import { clientIp as coreClientIp, userActor, type Actor } from '../../core/auth/index.ts';
import type { AppEnv } from '../../core/http/env.ts';

/* Request helpers of the appointments pages and API (a routes file: the only place that reads Hono's Context). */

/** Client address (core rule: socket, or the proxy's X-Forwarded-For with LOTSE_TRUST_PROXY=on). */
export function clientIp(c: Context<AppEnv>): string | null {
  const ip = coreClientIp(c);
  return ip === 'unknown' ? null : ip;
}

/** The signed-in staff member as audit actor (citizen when no session). */
export function staffActor(c: Context<AppEnv>): Actor {
  return c.var.user ? userActor(c.var.user) : { type: 'citizen' };
}
