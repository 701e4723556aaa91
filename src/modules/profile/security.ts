import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { getSetting, setSetting } from '../../core/settings/index.ts';

const SECRET_KEY = 'profile.secret';
const secrets = new WeakMap<Db, Promise<string>>();

/** HMAC secret: LOTSE_SECRET, else one random secret generated once and kept in the settings table. */
export function getSecret(ctx: AppContext): Promise<string> {
  if (ctx.config.LOTSE_SECRET) return Promise.resolve(`${ctx.config.LOTSE_SECRET}|profile`);
  let p = secrets.get(ctx.db);
  if (!p) {
    p = (async () => {
      const existing = await getSetting<string | null>(ctx.db, SECRET_KEY, null);
      if (existing) return existing;
      await ctx.db.transaction(async (tx) => {
        const again = await getSetting<string | null>(tx, SECRET_KEY, null);
        if (!again) await setSetting(tx, SECRET_KEY, randomBytes(32).toString('hex'), null);
      });
      return (await getSetting<string | null>(ctx.db, SECRET_KEY, null))!;
    })();
    secrets.set(ctx.db, p);
    p.catch(() => secrets.delete(ctx.db));
  }
  return p;
}

const mac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(`signin|${body}`).digest().subarray(0, 18).toString('base64url');

/** Why a sign-in link was refused (for the English page text; the German message is in the error). */
export type LinkProblem = 'invalid' | 'expired' | 'used';

export const LINK_MESSAGES: Record<LinkProblem, string> = {
  invalid:
    'Der Anmeldelink ist ungültig oder unvollständig. Bitte kopieren Sie den ganzen Link aus der E-Mail oder fordern Sie einen neuen Anmeldelink an.',
  expired:
    'Der Anmeldelink ist abgelaufen. Aus Sicherheitsgründen gilt jeder Link nur kurze Zeit – bitte fordern Sie einen neuen Anmeldelink an.',
  used: 'Dieser Anmeldelink wurde bereits verwendet. Jeder Link gilt nur einmal – bitte fordern Sie einen neuen Anmeldelink an.',
};

export const linkError = (problem: LinkProblem) => new AppError('gone', LINK_MESSAGES[problem], { reason: problem });

/**
 * A one-time sign-in token `<nonce>.<expSeconds>.<mac>`. The nonce's SHA-256 is the key of
 * the `profile_login_tokens` row (which knows the e-mail address and whether it was used).
 */
export function signLinkToken(secret: string, expires: Date): { token: string; nonce: string } {
  const nonce = randomBytes(16).toString('base64url');
  const body = `${nonce}.${Math.floor(expires.getTime() / 1000)}`;
  return { token: `${body}.${mac(secret, body)}`, nonce };
}

/** Checks signature and expiry; returns the nonce. Throws `gone` with a German message. */
export function verifyLinkToken(secret: string, token: string | null | undefined, now: Date): string {
  const parts = (token ?? '').trim().split('.');
  if (parts.length !== 3 || (token ?? '').length > 200) throw linkError('invalid');
  const [nonce, exp, given] = parts as [string, string, string];
  const expected = Buffer.from(mac(secret, `${nonce}.${exp}`));
  const got = Buffer.from(given);
  if (got.length !== expected.length || !timingSafeEqual(got, expected) || !/^\d+$/.test(exp)) throw linkError('invalid');
  if (Number(exp) * 1000 <= now.getTime()) throw linkError('expired');
  return nonce;
}
