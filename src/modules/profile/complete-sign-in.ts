import { writeAudit } from '../../core/audit/index.ts';
import { citizenActor } from '../../core/auth/actor.ts';
import { sha256Hex } from '../../core/auth/tokens.ts';
import type { AppContext } from '../../core/context.ts';
import type { DbOrTx } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { createCitizenSession, type NewCitizenSession } from './citizen-session.ts';
import { CONSENT_VERSION, maskAddress } from './profile-data.ts';
import * as repo from './repository.ts';
import { getSecret, linkError, verifyLinkToken } from './security.ts';

export const CONSENT_MISSING_MESSAGE = 'Bitte bestätigen Sie die Einwilligung, damit Ihr Profil auf dem Server gespeichert werden darf.';

export interface SignInLinkInfo {
  /** `a***@example.org` */
  maskedEmail: string;
  /** No account yet: it will be created on confirmation. */
  isNew: boolean;
  /** New account, or the consent text changed since the person agreed. */
  needsConsent: boolean;
  expiresAt: Date;
}

async function checkLink(ctx: AppContext, db: DbOrTx, token: string | null | undefined) {
  const nonce = verifyLinkToken(await getSecret(ctx), token, ctx.now());
  const row = await repo.findLoginToken(db, sha256Hex(nonce));
  if (!row) throw linkError('invalid');
  if (row.usedAt) throw linkError('used');
  if (row.expiresAt <= ctx.now()) throw linkError('expired');
  const account = await repo.findAccountByEmail(db, row.email);
  return { id: row.id, email: row.email, expiresAt: row.expiresAt, account };
}

/**
 * What a sign-in link leads to, without using it up (mail scanners that open links must not
 * spend them; the person confirms with a button).
 * @throws AppError gone (details.reason invalid | expired | used) with a German message
 */
export async function inspectSignInLink(ctx: AppContext, token: string | null | undefined): Promise<SignInLinkInfo> {
  const l = await checkLink(ctx, ctx.db, token);
  return {
    maskedEmail: maskAddress(l.email),
    isNew: !l.account,
    needsConsent: !l.account || l.account.consentVersion !== CONSENT_VERSION,
    expiresAt: l.expiresAt,
  };
}

export interface CompletedSignIn extends NewCitizenSession {
  accountId: string;
  created: boolean;
}

/**
 * Spends the one-time link and opens a citizen session. A new account is created only with
 * `consent: true` (consent version and time recorded); an account whose consent is outdated
 * must renew it here too. Without consent nothing is stored and the link stays valid.
 * @throws AppError gone (invalid/expired/used link), validation (field `consent`)
 */
export async function completeSignIn(
  ctx: AppContext,
  input: { token: string | null | undefined; consent: boolean },
): Promise<CompletedSignIn> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const l = await checkLink(ctx, tx, input.token);
    if (!(await repo.spendLoginToken(tx, l.id, now))) throw linkError('used');
    const needsConsent = !l.account || l.account.consentVersion !== CONSENT_VERSION;
    if (needsConsent && !input.consent) {
      throw new AppError('validation', CONSENT_MISSING_MESSAGE, { fields: [{ field: 'consent', message: CONSENT_MISSING_MESSAGE }] });
    }
    let accountId: string;
    let created = false;
    if (!l.account) {
      const r = await repo.insertAccount(tx, { email: l.email, consentVersion: CONSENT_VERSION, now });
      accountId = r.account.id;
      created = r.created;
      if (created)
        await writeAudit(tx, {
          actor: citizenActor,
          action: 'profile.account.create',
          objectType: 'profile_account',
          summary: { consentVersion: CONSENT_VERSION },
        });
    } else {
      accountId = l.account.id;
      if (needsConsent) {
        await repo.updateConsent(tx, accountId, CONSENT_VERSION, now);
        await writeAudit(tx, {
          actor: citizenActor,
          action: 'profile.consent.renew',
          objectType: 'profile_account',
          summary: { from: l.account.consentVersion, to: CONSENT_VERSION },
        });
      } else {
        await repo.touchAccount(tx, accountId, now);
      }
    }
    const session = await createCitizenSession(tx, accountId, now);
    return { ...session, accountId, created };
  });
}
