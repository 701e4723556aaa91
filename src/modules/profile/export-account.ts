import type { AppContext } from '../../core/context.ts';
import { accountNotFound, CONSENT_VERSION } from './profile-data.ts';
import * as repo from './repository.ts';
import type { StoredProfile } from './schema.ts';

export interface AccountExport {
  format: 'lotse-mein-northeim-konto/1';
  exportedAt: string;
  account: { email: string; createdAt: string; lastUsedAt: string; deletionWarnedAt: string | null };
  consent: { version: string; givenAt: string; current: boolean };
  profile: StoredProfile | null;
  profileUpdatedAt: string | null;
  sessions: { createdAt: string; lastSeenAt: string; expiresAt: string }[];
}

/** Everything stored about the account (Art. 15/20 GDPR), as JSON. */
export async function exportAccount(ctx: AppContext, accountId: string): Promise<AccountExport> {
  const account = await repo.findAccount(ctx.db, accountId);
  if (!account) throw accountNotFound();
  const sessions = await repo.listSessions(ctx.db, accountId);
  return {
    format: 'lotse-mein-northeim-konto/1',
    exportedAt: ctx.now().toISOString(),
    account: {
      email: account.email,
      createdAt: account.createdAt.toISOString(),
      lastUsedAt: account.lastUsedAt.toISOString(),
      deletionWarnedAt: account.deletionWarnedAt?.toISOString() ?? null,
    },
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
