import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { execRows, type DbOrTx } from '../db/index.ts';
import { sha256Hex } from './tokens.ts';

export interface RateLimitResult {
  /** False once the counter is above the limit. */
  allowed: boolean;
  /** Hits in the current window, including this one. */
  count: number;
  /** Seconds until the window ends (for a Retry-After header). */
  retryAfterSeconds: number;
}

const isContext = (x: AppContext | DbOrTx): x is AppContext => 'config' in x && 'database' in x;

const windowStartOf = (now: Date, windowSeconds: number) =>
  new Date(Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000);

/**
 * Counts one hit for `key` in a fixed window shared by all instances (table `rate_limits`)
 * and says whether it is within `limit`.
 *
 * Pass the AppContext to respect `LOTSE_RATE_LIMIT=off` (then every hit is allowed and
 * nothing is written) and use its clock; pass a Db/Tx to always count.
 * Keys must not contain personal data: use {@link rateLimitKey} for e-mails and IPs.
 *
 * @example
 * const r = await hitRateLimit(ctx, rateLimitKey('booking:ip', ip), 10, 600);
 * if (!r.allowed) throw new AppError('rate_limited', 'Zu viele Buchungen. Bitte später erneut versuchen.');
 */
export async function hitRateLimit(
  dbOrCtx: AppContext | DbOrTx,
  key: string,
  limit: number,
  windowSeconds: number,
  now?: Date,
): Promise<RateLimitResult> {
  const at = now ?? (isContext(dbOrCtx) ? dbOrCtx.now() : new Date());
  const start = windowStartOf(at, windowSeconds);
  const retryAfterSeconds = Math.max(1, Math.ceil((start.getTime() + windowSeconds * 1000 - at.getTime()) / 1000));
  if (isContext(dbOrCtx) && dbOrCtx.config.LOTSE_RATE_LIMIT === 'off') return { allowed: true, count: 0, retryAfterSeconds };
  const db = isContext(dbOrCtx) ? dbOrCtx.db : dbOrCtx;
  const [row] = await execRows<{ count: number }>(
    db,
    sql`INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${start.toISOString()}, 1)
        ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
        RETURNING count`,
  );
  const count = Number(row?.count ?? 1);
  // Old windows are useless; prune now and then instead of running a job.
  if (Math.random() < 0.02) await pruneRateLimits(db, at);
  return { allowed: count <= limit, count, retryAfterSeconds };
}

/** Current count for `key` in its window without counting a hit (0 when switched off). */
export async function peekRateLimit(dbOrCtx: AppContext | DbOrTx, key: string, windowSeconds: number, now?: Date): Promise<number> {
  if (isContext(dbOrCtx) && dbOrCtx.config.LOTSE_RATE_LIMIT === 'off') return 0;
  const at = now ?? (isContext(dbOrCtx) ? dbOrCtx.now() : new Date());
  const db = isContext(dbOrCtx) ? dbOrCtx.db : dbOrCtx;
  const [row] = await execRows<{ count: number }>(
    db,
    sql`SELECT count FROM rate_limits WHERE key = ${key} AND window_start = ${windowStartOf(at, windowSeconds).toISOString()}`,
  );
  return Number(row?.count ?? 0);
}

/** Deletes windows older than a day. */
export async function pruneRateLimits(db: DbOrTx, now: Date): Promise<void> {
  await db.execute(sql`DELETE FROM rate_limits WHERE window_start < ${new Date(now.getTime() - 86_400_000).toISOString()}`);
}

/**
 * A rate-limit key that does not store personal data: `prefix:` + a hash of the value.
 * @example rateLimitKey('login:email', 'a@b.de') // 'login:email:3f1c…'
 */
export function rateLimitKey(prefix: string, value: string): string {
  return `${prefix}:${sha256Hex(value.trim().toLowerCase()).slice(0, 32)}`;
}
