import { writeAudit } from '../../core/audit/index.ts';
import { citizenActor } from '../../core/auth/actor.ts';
import { hitRateLimit } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { accountNotFound, CONSENT_VERSION, MAX_PROFILE_BYTES, profileSchema } from './profile-data.ts';
import * as repo from './repository.ts';
import type { StoredProfile } from './schema.ts';

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
    if (!account) throw accountNotFound();
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
  if (!account) throw accountNotFound();
  return {
    profile: account.profile ?? null,
    updatedAt: account.profileUpdatedAt ?? null,
    consentCurrent: account.consentVersion === CONSENT_VERSION,
  };
}
