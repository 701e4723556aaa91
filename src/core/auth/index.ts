export * from './actor.ts';
export * from './guard.ts';
export * from './permissions.ts';
export { hitRateLimit, peekRateLimit, rateLimitKey, type RateLimitResult } from './rate-limit.ts';
export { clientIp } from './client-ip.ts';
export {
  CSRF_COOKIE,
  SESSION_COOKIE,
  createSession,
  endSession,
  resolveSession,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS,
} from './sessions.ts';
export { sessionMiddleware, setSessionCookies, clearSessionCookies, cookieSecure, CSRF_MESSAGE } from './middleware.ts';
export { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword, generateOneTimePassword } from './password.ts';
export { login, LOGIN_LIMITS, LOGIN_FAILED_MESSAGE, LOGIN_LIMITED_MESSAGE } from './login.ts';
export { createUser, type CreateUserInput, type CreatedUser } from './create-user.ts';
export { changePassword, type ChangePasswordInput } from './change-password.ts';
export { setUserRoles, setUserActive, deactivateUser, resetPassword } from './update-user.ts';
export { listUsers, type UserSummary } from './list-users.ts';
export { ensureFirstAdmin } from './first-start.ts';
export { findUserById } from './repository.ts';
export { users, sessions, rateLimits } from './schema.ts';
