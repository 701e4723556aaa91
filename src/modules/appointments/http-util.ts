import type { Context } from 'hono';
import { clientIp as coreClientIp, userActor, type Actor } from '../../core/auth/index.ts';
import type { AppEnv } from '../../core/http/env.ts';

/** Client address (core rule: socket, or the proxy's X-Forwarded-For with LOTSE_TRUST_PROXY=on). */
export function clientIp(c: Context<AppEnv>): string | null {
  const ip = coreClientIp(c);
  return ip === 'unknown' ? null : ip;
}

export function staffActor(c: Context<AppEnv>): Actor {
  return c.var.user ? userActor(c.var.user) : { type: 'citizen' };
}

/** Form value as string (first one when repeated). */
export function str(v: unknown): string {
  if (Array.isArray(v)) return str(v[0]);
  return typeof v === 'string' ? v : '';
}
export function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
}
