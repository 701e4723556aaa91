import { writeAudit } from '../../core/audit/index.ts';
import { systemActor } from '../../core/auth/actor.ts';
import type { AppContext } from '../../core/context.ts';
import { CITIZEN_SESSION_IDLE_DAYS } from './profile-data.ts';
import * as repo from './repository.ts';

/** `now` minus whole calendar months (UTC). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * Deletes accounts not used (no sign-in, no session use) for `LOTSE_PROFILE_INACTIVE_MONTHS`
 * months, with profile and sessions; removes expired sign-in links and sessions. Idempotent;
 * audited with counts only.
 */
export async function applyProfileRetention(
  ctx: AppContext,
  months = ctx.config.LOTSE_PROFILE_INACTIVE_MONTHS,
): Promise<{ accountsDeleted: number; linksDeleted: number; sessionsDeleted: number; cutoff: string }> {
  const now = ctx.now();
  const cutoff = monthsBefore(now, months);
  return ctx.db.transaction(async (tx) => {
    const emails = await repo.deleteAccountsUnusedSince(tx, cutoff);
    const linksDeleted = await repo.purgeLoginTokens(tx, now, emails);
    await repo.purgeSignInMails(tx, emails);
    const sessionsDeleted = await repo.deleteExpiredSessions(tx, now, new Date(now.getTime() - CITIZEN_SESSION_IDLE_DAYS * 86_400_000));
    if (emails.length) {
      await writeAudit(tx, {
        actor: systemActor('profile.retention'),
        action: 'profile.retention',
        objectType: 'profile_account',
        summary: { months, cutoff: cutoff.toISOString(), accountsDeleted: emails.length },
      });
    }
    return { accountsDeleted: emails.length, linksDeleted, sessionsDeleted, cutoff: cutoff.toISOString() };
  });
}
