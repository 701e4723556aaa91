import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createChallenge, verifySolution } from 'altcha-lib';
import type { AppContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { getSetting, setSetting } from '../../core/settings/index.ts';
import { hitRateLimit, rateLimitKey } from '../../core/auth/index.ts';
import * as repo from './repository.ts';

const secrets = new WeakMap<Db, Promise<string>>();

/** HMAC secret: LOTSE_SECRET, else one random secret generated once and kept in the settings table. */
export function getSecret(ctx: AppContext): Promise<string> {
  if (ctx.config.LOTSE_SECRET) return Promise.resolve(ctx.config.LOTSE_SECRET);
  let p = secrets.get(ctx.db);
  if (!p) {
    p = (async () => {
      const existing = await getSetting<string | null>(ctx.db, 'appointments.secret', null);
      if (existing) return existing;
      // Two instances may race: insert-if-absent, then read back the winner.
      await ctx.db.transaction(async (tx) => {
        const again = await getSetting<string | null>(tx, 'appointments.secret', null);
        if (!again) await setSetting(tx, 'appointments.secret', randomBytes(32).toString('hex'), null);
      });
      return (await getSetting<string | null>(ctx.db, 'appointments.secret', null))!;
    })();
    secrets.set(ctx.db, p);
    p.catch(() => secrets.delete(ctx.db));
  }
  return p;
}

export type TokenPurpose = 'confirm' | 'manage' | 'hold' | 'feed';

const b64 = (b: Buffer) => b.toString('base64url');

/**
 * Signed token `<id>.<purpose>.<expSeconds>.<mac>`: no login needed, forgery detected by HMAC.
 * @example signToken(secret, 'manage', bookingId, new Date(Date.now() + 86400e3))
 */
export function signToken(secret: string, purpose: TokenPurpose, id: string, expires: Date): string {
  const body = `${id}.${purpose[0]}.${Math.floor(expires.getTime() / 1000)}`;
  return `${body}.${b64(createHmac('sha256', secret).update(body).digest().subarray(0, 18))}`;
}

/** Verifies a token; throws 410 with a German explanation when forged, foreign or expired. */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string | undefined | null, now: Date, id?: string): string {
  const parts = (token ?? '').split('.');
  if (parts.length !== 4) throw new AppError('gone', 'Der Link ist ungültig oder unvollständig. Bitte nutzen Sie den Link aus Ihrer E-Mail.');
  const [tid, p, exp, mac] = parts as [string, string, string, string];
  const body = `${tid}.${p}.${exp}`;
  const expected = Buffer.from(b64(createHmac('sha256', secret).update(body).digest().subarray(0, 18)));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || p !== purpose[0] || (id !== undefined && id !== tid)) {
    throw new AppError('gone', 'Der Link ist ungültig. Bitte nutzen Sie den vollständigen Link aus Ihrer E-Mail.');
  }
  if (Number(exp) * 1000 < now.getTime()) throw new AppError('gone', 'Der Link ist abgelaufen.');
  return tid;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The network of an address for pattern detection: IPv4 /24, IPv6 /64 (IPv4-mapped IPv6 counts as IPv4).
 * @example networkOf('203.0.113.77') === '203.0.113.0/24'
 */
export function networkOf(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip.trim());
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const [head = '', tail] = ip.trim().toLowerCase().split('%')[0]!.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, '') || '0')
    .join(':')}::/64`;
}

/**
 * Salted hashes of the client network and IP (`<network>.<ip>`, 16 hex each), so patterns per
 * address and per network can be seen without storing addresses.
 */
export async function ipHash(ctx: AppContext, ip: string | null | undefined): Promise<string | null> {
  if (!ip) return null;
  const secret = await getSecret(ctx);
  return `${sha256(`${secret}|net|${networkOf(ip)}`).slice(0, 16)}.${sha256(`${secret}|ip|${ip}`).slice(0, 16)}`;
}

// ---------- proof-of-work captcha (ALTCHA-compatible) ----------

export const CAPTCHA_MAX_NUMBER = 50_000;
const CAPTCHA_TTL_MS = 10 * 60_000;

export async function createCaptcha(ctx: AppContext) {
  const key = await getSecret(ctx);
  return createChallenge({ hmacKey: `${key}|altcha`, maxNumber: CAPTCHA_MAX_NUMBER, expires: new Date(Date.now() + CAPTCHA_TTL_MS) });
}

/**
 * Checks the solved challenge (base64 JSON payload as ALTCHA sends it) and spends it,
 * so one solution cannot be replayed. No-op when LOTSE_CAPTCHA=off.
 */
export async function checkCaptcha(ctx: AppContext, payload: string | undefined | null): Promise<void> {
  if (ctx.config.LOTSE_CAPTCHA === 'off') return;
  const fail = (msg: string) => new AppError('validation', msg, { fields: [{ field: 'captcha', message: msg }] });
  if (!payload) throw fail('Die Sicherheitsprüfung fehlt. Bitte aktivieren Sie JavaScript und warten Sie, bis die Prüfung abgeschlossen ist.');
  const key = await getSecret(ctx);
  let ok = false;
  let signature = '';
  try {
    ok = await verifySolution(payload, `${key}|altcha`, true);
    signature = (JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { signature: string }).signature;
  } catch {
    ok = false;
  }
  if (!ok) throw fail('Die Sicherheitsprüfung ist ungültig oder abgelaufen. Bitte laden Sie die Seite neu.');
  const spent = await repo.spendCaptcha(ctx.db, signature, new Date(Date.now() + CAPTCHA_TTL_MS));
  if (!spent) throw fail('Diese Sicherheitsprüfung wurde schon verwendet. Bitte laden Sie die Seite neu.');
}

// ---------- rate limits ----------

/**
 * Fixed-window limit via the core `hitRateLimit` (table `rate_limits`, shared by all
 * instances; the value – IP or e-mail – is only stored hashed). Throws 429; no-op when
 * LOTSE_RATE_LIMIT=off.
 */
export async function rateLimit(ctx: AppContext, prefix: string, value: string, limit: number, windowSeconds: number): Promise<void> {
  const r = await hitRateLimit(ctx, rateLimitKey(`appt:${prefix}`, value), limit, windowSeconds);
  if (!r.allowed) {
    throw new AppError('rate_limited', `Zu viele Anfragen. Bitte versuchen Sie es in ${r.retryAfterSeconds} Sekunden erneut.`, { retryAfter: r.retryAfterSeconds });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Shape of a link token: `<id>.<purpose>.<expiry seconds>.<mac>` – four parts, numeric expiry.
 * A token of this shape with a wrong id or signature is forged (410), not malformed.
 */
const TOKEN_SHAPE = /^[^.\s]{1,64}\.[^.\s]{1,8}\.\d{1,12}\.[A-Za-z0-9_-]{1,128}$/;

/**
 * Missing or malformed input is the caller's error (422); only a well-formed token that is
 * forged, foreign, expired or replayed answers 410.
 */
export function checkTokenInput(id: string | undefined, token: string | undefined | null): void {
  const fields: { field: string; message: string }[] = [];
  if (id !== undefined && !UUID.test(id)) fields.push({ field: 'id', message: 'Die Terminnummer ist ungültig.' });
  if (!token) fields.push({ field: 'token', message: 'Der Link-Schlüssel (token) fehlt. Bitte nutzen Sie den vollständigen Link aus Ihrer E-Mail.' });
  else if (!TOKEN_SHAPE.test(token)) fields.push({ field: 'token', message: 'Der Link-Schlüssel ist unvollständig oder beschädigt. Bitte nutzen Sie den vollständigen Link aus Ihrer E-Mail.' });
  if (fields.length) throw new AppError('validation', fields[0]!.message, { fields });
}
