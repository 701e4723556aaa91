import { writeAudit } from '../../core/audit/index.ts';
import { systemActor } from '../../core/auth/actor.ts';
import type { AppContext } from '../../core/context.ts';
import type { DbOrTx } from '../../core/db/index.ts';
import { queueMail } from '../../core/mail-out/index.ts';
import { CITIZEN_SESSION_IDLE_DAYS } from './profile-data.ts';
import * as repo from './repository.ts';

/** `now` minus whole calendar months (UTC). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** Days before the automatic deletion when the account holder is told by e-mail. */
export const WARN_DAYS = 30;

const dateBerlin = (d: Date, lang: 'de' | 'en') =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'long' }).format(d);

async function queueWarning(ctx: AppContext, tx: DbOrTx, a: repo.AccountRow, months: number): Promise<void> {
  const lang = a.profile?.english ? 'en' : 'de';
  const when = dateBerlin(monthsBefore(a.lastUsedAt, -months), lang);
  const url = `${ctx.config.baseUrl}/mein-northeim/konto`;
  const town = ctx.town.name;
  const mail =
    lang === 'en'
      ? {
          subject: 'Your “My Northeim” account will be deleted soon',
          text: `Hello,\n\nyou have not used your “My Northeim” account (${town}) for a long time. As promised when you signed up, it will be deleted automatically with your profile on ${when}.\n\nTo keep it, simply sign in before then: ${url}\nTo have it deleted, do nothing.\n\n${town}`,
        }
      : {
          subject: 'Ihr „Mein Northeim“-Konto wird bald gelöscht',
          text: `Guten Tag,\n\nSie haben Ihr Konto bei „Mein Northeim“ (${town}) lange nicht genutzt. Wie bei der Einwilligung zugesagt, wird es am ${when} mit Ihrem Profil automatisch gelöscht.\n\nWenn Sie es behalten möchten, melden Sie sich vorher einfach an: ${url}\nWenn es gelöscht werden soll, müssen Sie nichts tun.\n\n${town}`,
        };
  await queueMail(tx, { to: a.email, subject: mail.subject, text: mail.text, kind: 'profile-notice' });
}

/**
 * Deletes accounts not used (no sign-in, no session use) for `LOTSE_PROFILE_INACTIVE_MONTHS`
 * months, with profile and sessions; removes expired sign-in links and sessions. Accounts that
 * will be deleted within WARN_DAYS get one warning mail (again only after a later use). Idempotent;
 * audited with counts only.
 */
export async function applyProfileRetention(
  ctx: AppContext,
  months = ctx.config.LOTSE_PROFILE_INACTIVE_MONTHS,
): Promise<{ accountsDeleted: number; warned: number; linksDeleted: number; sessionsDeleted: number; cutoff: string }> {
  const now = ctx.now();
  const cutoff = monthsBefore(now, months);
  return ctx.db.transaction(async (tx) => {
    const emails = await repo.deleteAccountsUnusedSince(tx, cutoff);
    const linksDeleted = await repo.purgeLoginTokens(tx, now, emails);
    await repo.purgeProfileMails(tx, emails);
    const sessionsDeleted = await repo.deleteExpiredSessions(tx, now, new Date(now.getTime() - CITIZEN_SESSION_IDLE_DAYS * 86_400_000));
    const toWarn = await repo.accountsToWarn(tx, new Date(cutoff.getTime() + WARN_DAYS * 86_400_000));
    for (const a of toWarn) {
      await queueWarning(ctx, tx, a, months);
      await repo.markWarned(tx, a.id, now);
    }
    if (emails.length || toWarn.length) {
      await writeAudit(tx, {
        actor: systemActor('profile.retention'),
        action: 'profile.retention',
        objectType: 'profile_account',
        summary: { months, cutoff: cutoff.toISOString(), accountsDeleted: emails.length, warned: toWarn.length },
      });
    }
    return { accountsDeleted: emails.length, warned: toWarn.length, linksDeleted, sessionsDeleted, cutoff: cutoff.toISOString() };
  });
}
