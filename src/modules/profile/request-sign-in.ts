import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { hitRateLimit, rateLimitKey } from '../../core/auth/index.ts';
import { sha256Hex } from '../../core/auth/tokens.ts';
import type { Lang } from '../../core/i18n/index.ts';
import { queueMail } from '../../core/mail-out/index.ts';
import { emailSchema, LINK_MINUTES } from './profile-data.ts';
import * as repo from './repository.ts';
import { getSecret, signLinkToken } from './security.ts';

/** Sign-in mails: per address and per client IP (fixed windows, keys hashed). */
export const SIGNIN_LIMITS = { perEmail: { limit: 3, windowSeconds: 3600 }, perIp: { limit: 10, windowSeconds: 3600 } } as const;

export interface RequestSignInInput {
  email: unknown;
  /** Client IP for the rate limit (only its hash is stored, for at most a day). */
  ip: string | null;
  lang: Lang;
}

async function limit(ctx: AppContext, key: string, l: { limit: number; windowSeconds: number }) {
  const r = await hitRateLimit(ctx, key, l.limit, l.windowSeconds);
  if (!r.allowed) {
    const minutes = Math.ceil(r.retryAfterSeconds / 60);
    throw new AppError(
      'rate_limited',
      `Es wurden zu viele Anmeldelinks angefordert. Bitte versuchen Sie es in ${minutes} Minuten erneut.`,
      { retryAfter: r.retryAfterSeconds },
    );
  }
}

/**
 * Sends a one-time sign-in link (valid LINK_MINUTES) to the address, whether or not an account
 * exists (the answer is always the same, so nobody can probe for accounts). Nothing but the
 * link's hash, the address and the expiry is stored; the account itself is created only when
 * the link is confirmed with consent.
 * @throws AppError validation (bad address), rate_limited
 */
export async function requestSignIn(ctx: AppContext, input: RequestSignInInput): Promise<{ expiresAt: Date }> {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success)
    throw validationError(
      parsed.error.issues.map((i) => ({ ...i, path: ['email'] })),
      parsed.error.issues[0]!.message,
    );
  const email = parsed.data;
  if (input.ip) await limit(ctx, rateLimitKey('profile:signin:ip', input.ip), SIGNIN_LIMITS.perIp);
  await limit(ctx, rateLimitKey('profile:signin:email', email), SIGNIN_LIMITS.perEmail);

  const secret = await getSecret(ctx);
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + LINK_MINUTES * 60_000);
  const { token, nonce } = signLinkToken(secret, expiresAt);
  const url = `${ctx.config.baseUrl}/mein-northeim/konto/link?t=${encodeURIComponent(token)}`;
  const town = ctx.town.name;
  await ctx.db.transaction(async (tx) => {
    await repo.purgeLoginTokens(tx, now);
    await repo.insertLoginToken(tx, { id: sha256Hex(nonce), email, expiresAt, now });
    const mail =
      input.lang === 'en'
        ? {
            subject: `Your sign-in link for “My Northeim”`,
            text: `Hello,\n\nsomeone (hopefully you) asked to sign in to “My Northeim” (${town}) with this e-mail address.\n\nSign in here (valid for ${LINK_MINUTES} minutes, once only):\n${url}\n\nIf you did not ask for this, simply ignore this e-mail. No account is created without your confirmation.\n\n${town}`,
          }
        : {
            subject: `Ihr Anmeldelink für „Mein Northeim“`,
            text: `Guten Tag,\n\njemand (hoffentlich Sie) möchte sich mit dieser E-Mail-Adresse bei „Mein Northeim“ (${town}) anmelden.\n\nHier anmelden (gültig ${LINK_MINUTES} Minuten, nur einmal verwendbar):\n${url}\n\nWenn Sie das nicht waren, ignorieren Sie diese E-Mail einfach. Ohne Ihre Bestätigung wird kein Konto angelegt.\n\n${town}`,
          };
    await queueMail(tx, { to: email, subject: mail.subject, text: mail.text, kind: 'profile-signin' });
  });
  return { expiresAt };
}
