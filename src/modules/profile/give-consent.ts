import { writeAudit } from '../../core/audit/index.ts';
import { citizenActor } from '../../core/auth/actor.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { CONSENT_MISSING_MESSAGE } from './complete-sign-in.ts';
import { accountNotFound, CONSENT_VERSION } from './profile-data.ts';
import * as repo from './repository.ts';

/** Renews consent after the consent text changed (`consent` must be true). */
export async function giveConsent(ctx: AppContext, accountId: string, consent: boolean): Promise<void> {
  if (!consent)
    throw new AppError('validation', CONSENT_MISSING_MESSAGE, { fields: [{ field: 'consent', message: CONSENT_MISSING_MESSAGE }] });
  await ctx.db.transaction(async (tx) => {
    const account = await repo.findAccount(tx, accountId);
    if (!account) throw accountNotFound();
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
