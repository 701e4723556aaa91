import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../http/env.ts';

/**
 * The client's IP address for rate limiting (never log or store it in clear text).
 * With `LOTSE_TRUST_PROXY=on` the last `X-Forwarded-For` entry (the one our reverse proxy
 * appended) is used; otherwise the socket address. Falls back to `unknown` in tests.
 */
export function clientIp(c: Context<AppEnv>): string {
  if (c.var.ctx?.config.LOTSE_TRUST_PROXY === 'on') {
    const xff = c.req.header('x-forwarded-for');
    const last = xff?.split(',').pop()?.trim();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
