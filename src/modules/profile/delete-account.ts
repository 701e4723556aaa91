import { writeAudit } from '../../core/audit/index.ts';
import { citizenActor } from '../../core/auth/actor.ts';
import type { AppContext } from '../../core/context.ts';
import { accountNotFound } from './profile-data.ts';
import * as repo from './repository.ts';

/**
 * Deletes the account, its profile and sessions immediately (hard delete), plus pending sign-in
 * links and delivered sign-in mails of the address. The audit entry names no account and no address.
 */
export async function deleteAccount(ctx: AppContext, accountId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const email = await repo.deleteAccount(tx, accountId);
    if (!email) throw accountNotFound();
    await repo.purgeLoginTokens(tx, ctx.now(), [email]);
    await repo.purgeProfileMails(tx, [email]);
    await writeAudit(tx, {
      actor: citizenActor,
      action: 'profile.account.delete',
      objectType: 'profile_account',
      summary: { reason: 'citizen' },
    });
  });
}
