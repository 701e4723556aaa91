import { writeAudit } from '../../core/audit/index.ts';
import { citizenActor } from '../../core/auth/actor.ts';
import { hitRateLimit } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { CONSENT_MISSING_MESSAGE } from './complete-sign-in.ts';
import { CONSENT_VERSION, MAX_PROFILE_BYTES, profileSchema } from './profile-data.ts';
import * as repo from './repository.ts';
import type { StoredProfile } from './schema.ts';

const notFound = () =>
  new AppError('unauthenticated', 'Ihr Konto wurde nicht gefunden – es wurde vielleicht gelöscht. Bitte melden Sie sich neu an.');

export const CONSENT_OUTDATED_MESSAGE =
  'Die Einwilligungserklärung hat sich geändert. Bitte lesen und bestätigen Sie sie unter „Mein Konto“, bevor Ihr Profil wieder auf dem Server gespeichert wird.';

/**
 * Stores the profile (same shape as the browser profile; unknown keys are dropped) for an
 * account with current consent. Last write wins.
 * @throws AppError validation (shape, size), forbidden (consent outdated), rate_limited
 */
export async function saveProfile(
  ctx: AppContext,
  accountId: string,
  input: unknown,
): Promise<{ profile: StoredProfile; updatedAt: Date }> {
  if (JSON.stringify(input ?? null).length > MAX_PROFILE_BYTES)
    throw new AppError('payload_too_large', 'Das Profil ist zu groß (höchstens 32 KB).');
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, 'Das Profil hat nicht das erwartete Format.');
  const r = await hitRateLimit(ctx, `profile:save:${accountId}`, 120, 3600);
  if (!r.allowed)
    throw new AppError(
      'rate_limited',
      `Zu viele Speichervorgänge. Bitte versuchen Sie es in ${Math.ceil(r.retryAfterSeconds / 60)} Minuten erneut.`,
      { retryAfter: r.retryAfterSeconds },
    );
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const account = await repo.findAccount(tx, accountId);
    if (!account) throw notFound();
    if (account.consentVersion !== CONSENT_VERSION) throw new AppError('forbidden', CONSENT_OUTDATED_MESSAGE, { reason: 'consent' });
    await repo.storeProfile(tx, accountId, parsed.data, now);
    await writeAudit(tx, {
      actor: citizenActor,
      action: 'profile.save',
      objectType: 'profile_account',
      summary: { situations: parsed.data.situations.length, done: parsed.data.done.length },
    });
    return { profile: parsed.data, updatedAt: now };
  });
}

/** The stored profile (null before the first upload). */
export async function loadProfile(
  ctx: AppContext,
  accountId: string,
): Promise<{ profile: StoredProfile | null; updatedAt: Date | null; consentCurrent: boolean }> {
  const account = await repo.findAccount(ctx.db, accountId);
  if (!account) throw notFound();
  return {
    profile: account.profile ?? null,
    updatedAt: account.profileUpdatedAt ?? null,
    consentCurrent: account.consentVersion === CONSENT_VERSION,
  };
}

/** Renews consent after the consent text changed (`consent` must be true). */
export async function giveConsent(ctx: AppContext, accountId: string, consent: boolean): Promise<void> {
  if (!consent)
    throw new AppError('validation', CONSENT_MISSING_MESSAGE, { fields: [{ field: 'consent', message: CONSENT_MISSING_MESSAGE }] });
  await ctx.db.transaction(async (tx) => {
    const account = await repo.findAccount(tx, accountId);
    if (!account) throw notFound();
    if (account.consentVersion === CONSENT_VERSION) return;
    await repo.updateConsent(tx, accountId, CONSENT_VERSION, ctx.now());
    await writeAudit(tx, {
      actor: citizenActor,
      action: 'profile.consent.renew',
      objectType: 'profile_account',
      summary: { from: account.consentVersion, to: CONSENT_VERSION },
    });
  });
}

export interface AccountExport {
  format: 'lotse-mein-northeim-konto/1';
  exportedAt: string;
  account: { email: string; createdAt: string; lastUsedAt: string };
  consent: { version: string; givenAt: string; current: boolean };
  profile: StoredProfile | null;
  profileUpdatedAt: string | null;
  sessions: { createdAt: string; lastSeenAt: string; expiresAt: string }[];
}

/** Everything stored about the account (Art. 15/20 GDPR), as JSON. */
export async function exportAccount(ctx: AppContext, accountId: string): Promise<AccountExport> {
  const account = await repo.findAccount(ctx.db, accountId);
  if (!account) throw notFound();
  const sessions = await repo.listSessions(ctx.db, accountId);
  return {
    format: 'lotse-mein-northeim-konto/1',
    exportedAt: ctx.now().toISOString(),
    account: { email: account.email, createdAt: account.createdAt.toISOString(), lastUsedAt: account.lastUsedAt.toISOString() },
    consent: {
      version: account.consentVersion,
      givenAt: account.consentAt.toISOString(),
      current: account.consentVersion === CONSENT_VERSION,
    },
    profile: account.profile ?? null,
    profileUpdatedAt: account.profileUpdatedAt?.toISOString() ?? null,
    sessions: sessions.map((s) => ({
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
    })),
  };
}

/**
 * Deletes the account, its profile and sessions immediately (hard delete), plus pending sign-in
 * links and delivered sign-in mails of the address. The audit entry names no account and no address.
 */
export async function deleteAccount(ctx: AppContext, accountId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const email = await repo.deleteAccount(tx, accountId);
    if (!email) throw notFound();
    await repo.purgeLoginTokens(tx, ctx.now(), [email]);
    await repo.purgeSignInMails(tx, [email]);
    await writeAudit(tx, {
      actor: citizenActor,
      action: 'profile.account.delete',
      objectType: 'profile_account',
      summary: { reason: 'citizen' },
    });
  });
}
