import type { DbOrTx } from '../db/index.ts';
import type { SessionUser } from '../http/env.ts';
import { deleteExpiredSessions, deleteSession, findSessionWithUser, insertSession, touchSession } from './repository.ts';
import { randomToken, sha256Hex } from './tokens.ts';

/** A session ends after this much inactivity … */
export const SESSION_IDLE_SECONDS = 8 * 60 * 60;
/** … and at the latest this long after login (a working day plus overtime). */
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;
/** `last_seen_at` is written at most once per minute per session (fewer writes per request). */
const TOUCH_EVERY_MS = 60_000;

export const SESSION_COOKIE = 'lotse_session';
export const CSRF_COOKIE = 'lotse_csrf';

export interface NewSession {
  /** Goes into the `lotse_session` cookie; only its SHA-256 is stored. */
  token: string;
  /** The session's CSRF token (also set as the `lotse_csrf` cookie). */
  csrfToken: string;
  expiresAt: Date;
}

/** Creates a session for a user (call after a successful login). */
export async function createSession(db: DbOrTx, userId: string, now: Date): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_SECONDS * 1000);
  await insertSession(db, { id: sha256Hex(token), userId, csrfToken, now, expiresAt });
  // Housekeeping on login rather than in a job: logins are rare, expired rows are few.
  await deleteExpiredSessions(db, new Date(now.getTime() - SESSION_IDLE_SECONDS * 1000), now);
  return { token, csrfToken, expiresAt };
}

export interface ResolvedSession {
  sessionId: string;
  user: SessionUser;
  csrfToken: string;
}

/**
 * Looks up the session for a cookie token. Returns null (and deletes the row) when it is
 * unknown, idle too long, past its absolute lifetime, or the account is deactivated.
 */
export async function resolveSession(db: DbOrTx, token: string, now: Date): Promise<ResolvedSession | null> {
  if (!token || token.length > 200) return null;
  const id = sha256Hex(token);
  const found = await findSessionWithUser(db, id);
  if (!found) return null;
  const { session, user } = found;
  const idleLimit = session.lastSeenAt.getTime() + SESSION_IDLE_SECONDS * 1000;
  if (now.getTime() >= session.expiresAt.getTime() || now.getTime() >= idleLimit || !user.active) {
    await deleteSession(db, id);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchSession(db, id, now);
  return {
    sessionId: id,
    csrfToken: session.csrfToken,
    user: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      roles: [...user.roles],
      department: user.department,
      mustChangePassword: user.mustChangePassword,
    },
  };
}

/** Deletes the session belonging to a cookie token (logout). */
export async function endSession(db: DbOrTx, token: string): Promise<void> {
  if (token) await deleteSession(db, sha256Hex(token));
}
