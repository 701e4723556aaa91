import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The "Mein Northeim" profile as the browser keeps it (see `profile-data.ts`). */
export interface StoredProfile {
  situations: string[];
  done: string[];
  easy: boolean;
  large: boolean;
  english: boolean;
  idExpiry: string;
  passExpiry: string;
}

/**
 * A citizen account for keeping the "Mein Northeim" profile on the server. No password, no name:
 * the e-mail address (needed to send sign-in links) is the only personal datum besides the profile.
 * Created only after the person followed a sign-in link AND gave consent.
 */
export const profileAccounts = pgTable(
  'profile_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Normalised (trimmed, lower case); unique. */
    email: text('email').notNull().unique(),
    /** Version of the consent text the person agreed to, and when. */
    consentVersion: text('consent_version').notNull(),
    consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
    /** null until the first upload. */
    profile: jsonb('profile').$type<StoredProfile>(),
    profileUpdatedAt: timestamp('profile_updated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Sign-in or use of a session (at most one write a day); drives the automatic deletion. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the "your account will be deleted soon" mail went out (a later use makes it void). */
    deletionWarnedAt: timestamp('deletion_warned_at', { withTimezone: true }),
  },
  (t) => [index('profile_accounts_last_used_idx').on(t.lastUsedAt)],
);

/** One-time sign-in links: only the SHA-256 of the link's random part is stored. Purged after expiry. */
export const profileLoginTokens = pgTable(
  'profile_login_tokens',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('profile_login_tokens_expires_idx').on(t.expiresAt)],
);

/** Citizen sessions (separate from staff sessions): SHA-256 of the cookie token. */
export const profileSessions = pgTable(
  'profile_sessions',
  {
    id: text('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => profileAccounts.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('profile_sessions_account_idx').on(t.accountId), index('profile_sessions_expires_idx').on(t.expiresAt)],
);
