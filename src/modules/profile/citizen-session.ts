import type { AppContext } from '../../core/context.ts';
import type { DbOrTx } from '../../core/db/index.ts';
import { randomToken, sha256Hex } from '../../core/auth/tokens.ts';
import { CITIZEN_SESSION_DAYS, CITIZEN_SESSION_IDLE_DAYS } from './profile-data.ts';
import * as repo from './repository.ts';

const DAY = 86_400_000;
/** `last_seen_at` at most once a minute, `last_used_at` of the account at most once a day. */
const TOUCH_SESSION_MS = 60_000;
const TOUCH_ACCOUNT_MS = DAY;

export interface NewCitizenSession {
  /** Goes into the citizen cookie; only its SHA-256 is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createCitizenSession(tx: DbOrTx, accountId: string, now: Date): Promise<NewCitizenSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + CITIZEN_SESSION_DAYS * DAY);
  await repo.insertSession(tx, { id: sha256Hex(token), accountId, csrfToken, now, expiresAt });
  await repo.deleteExpiredSessions(tx, now, new Date(now.getTime() - CITIZEN_SESSION_IDLE_DAYS * DAY));
  return { token, csrfToken, expiresAt };
}

export interface CitizenSession {
  sessionId: string;
  csrfToken: string;
  account: repo.AccountRow;
}

/** The session for a cookie token, or null (and the row is removed) when unknown, expired or idle too long. */
export async function resolveCitizenSession(ctx: AppContext, token: string | undefined): Promise<CitizenSession | null> {
  if (!token || token.length > 200) return null;
  const id = sha256Hex(token);
  const found = await repo.findSessionWithAccount(ctx.db, id);
  if (!found) return null;
  const now = ctx.now();
  const { session, account } = found;
  if (now >= session.expiresAt || now.getTime() >= session.lastSeenAt.getTime() + CITIZEN_SESSION_IDLE_DAYS * DAY) {
    await repo.deleteSession(ctx.db, id);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_SESSION_MS) await repo.touchSession(ctx.db, id, now);
  if (now.getTime() - account.lastUsedAt.getTime() >= TOUCH_ACCOUNT_MS) await repo.touchAccount(ctx.db, account.id, now);
  return { sessionId: id, csrfToken: session.csrfToken, account };
}

/** Sign-out: removes the session of this cookie token. */
export async function endCitizenSession(ctx: AppContext, token: string | undefined): Promise<void> {
  if (token && token.length <= 200) await repo.deleteSession(ctx.db, sha256Hex(token));
}
