import { z } from 'zod';
import { writeAudit } from '../audit/index.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { verifyPassword } from './password.ts';
import { hitRateLimit, peekRateLimit, rateLimitKey } from './rate-limit.ts';
import { findUserByEmail, updateUser } from './repository.ts';
import { createSession, type NewSession } from './sessions.ts';

/** Failed logins allowed per e-mail address and per IP address within the window. */
export const LOGIN_LIMITS = { perEmail: 5, perIp: 20, windowSeconds: 15 * 60 } as const;

export const LOGIN_FAILED_MESSAGE = 'E-Mail-Adresse oder Passwort ist nicht richtig.';
export const LOGIN_LIMITED_MESSAGE =
  'Zu viele fehlgeschlagene Anmeldeversuche. Aus Sicherheitsgründen ist die Anmeldung für einige Minuten gesperrt. Bitte versuchen Sie es später erneut.';

const loginInput = z.object({ email: z.string().max(320), password: z.string().max(200), ip: z.string().max(100) });

export interface LoginResult extends NewSession {
  userId: string;
  mustChangePassword: boolean;
}

/**
 * Checks e-mail and password and opens a session.
 * - Failed attempts are counted per e-mail and per IP in `rate_limits` (shared by all
 *   instances); above the limit the answer is `rate_limited` (429) without checking the password.
 * - Unknown, inactive and wrong-password cases give the same message and (via a dummy
 *   hash) about the same time.
 */
export async function login(
  ctx: AppContext,
  input: { email: string; password: string; ip: string },
  requestId?: string,
): Promise<LoginResult> {
  const parsed = loginInput.safeParse(input);
  if (!parsed.success) throw new AppError('unauthenticated', LOGIN_FAILED_MESSAGE);
  const { email, password, ip } = parsed.data;
  const now = ctx.now();
  const emailKey = rateLimitKey('login:email', email);
  const ipKey = rateLimitKey('login:ip', ip);
  const { perEmail, perIp, windowSeconds } = LOGIN_LIMITS;
  if (
    (await peekRateLimit(ctx, emailKey, windowSeconds, now)) >= perEmail ||
    (await peekRateLimit(ctx, ipKey, windowSeconds, now)) >= perIp
  ) {
    ctx.log.warn({ event: 'login.rate_limited' }, 'Anmeldung wegen Ratenbegrenzung abgelehnt');
    throw new AppError('rate_limited', LOGIN_LIMITED_MESSAGE);
  }
  const user = email ? await findUserByEmail(ctx.db, email) : null;
  const ok = await verifyPassword(user?.active ? user.passwordHash : null, password);
  if (!user || !user.active || !ok) {
    await hitRateLimit(ctx, emailKey, perEmail, windowSeconds, now);
    await hitRateLimit(ctx, ipKey, perIp, windowSeconds, now);
    ctx.log.info({ event: 'login.failed', requestId }, 'Anmeldung fehlgeschlagen');
    throw new AppError('unauthenticated', LOGIN_FAILED_MESSAGE);
  }
  const actor: Actor = { type: 'user', id: user.id, roles: user.roles, department: user.department };
  return ctx.db.transaction(async (tx) => {
    const session = await createSession(tx, user.id, now);
    await updateUser(tx, user.id, { lastLoginAt: now });
    await writeAudit(tx, { actor, action: 'user.login', objectType: 'user', objectId: user.id, summary: {}, requestId: requestId ?? null });
    return { ...session, userId: user.id, mustChangePassword: user.mustChangePassword };
  });
}
