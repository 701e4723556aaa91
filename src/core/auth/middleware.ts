import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';

/**
 * Loads the staff session (if any) and enforces CSRF on state-changing requests.
 * (Foundation stub: replaced by the sessions implementation.)
 */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (_c, next) => {
  await next();
};
