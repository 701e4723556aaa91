import { bigint, bigserial, boolean, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * IMAP mailboxes the mailroom reads (e.g. poststelle@, rechnung@). The password comes from the
 * environment variable named in `passwordEnv` (preferred) or, if that is empty, from `password`.
 */
export const mailroomMailboxes = pgTable(
  'mailroom_mailboxes',
  {
    id: serial('id').primaryKey(),
    /** Short name, e.g. `poststelle`. */
    name: text('name').notNull(),
    host: text('host').notNull(),
    port: integer('port').notNull().default(993),
    /** Implicit TLS (993). Without it the connection upgrades with STARTTLS when the server offers it. */
    secure: boolean('secure').notNull().default(true),
    username: text('username').notNull(),
    passwordEnv: text('password_env'),
    password: text('password'),
    folder: text('folder').notNull().default('INBOX'),
    processedFolder: text('processed_folder').notNull().default('Lotse/Verarbeitet'),
    active: boolean('active').notNull().default(true),
    /** IMAP UIDVALIDITY seen at the last poll (a change means UIDs were renumbered). */
    uidValidity: bigint('uid_validity', { mode: 'number' }),
    lastUid: bigint('last_uid', { mode: 'number' }).notNull().default(0),
    lastPollAt: timestamp('last_poll_at', { withTimezone: true }),
    /** Last connection/poll error (no personal data). */
    lastError: text('last_error'),
    /**
     * Who reads this mailbox right now (`idle:<instance>` holding an IMAP IDLE connection, or
     * `poll:<instance>` during one poll) and until when; an expired lease is free. Keeps several
     * instances sharing one database from reading the same mailbox at once.
     */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** Whether the server offered IDLE at the last connection of the IDLE watcher (null: not tried). */
    idleSupported: boolean('idle_supported'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('mailroom_mailboxes_name_idx').on(t.name)],
);

/**
 * Every e-mail taken from a mailbox, keyed by Message-ID (or SHA-256 of the raw message when it has
 * none). Written after the document is committed and before the message is flagged/moved, so a crash
 * in between never creates a second document for the same mail.
 */
export const mailroomImapMessages = pgTable(
  'mailroom_imap_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    mailboxId: integer('mailbox_id').notNull(),
    messageKey: text('message_key').notNull(),
    sha256: text('sha256').notNull(),
    documentId: bigint('document_id', { mode: 'number' }),
    uid: bigint('uid', { mode: 'number' }).notNull(),
    /** stored (document committed) | done (flagged \Seen and moved) */
    state: text('state').notNull().default('stored'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('mailroom_imap_messages_key_idx').on(t.messageKey)],
);

export type MailboxRow = typeof mailroomMailboxes.$inferSelect;
export type ImapMessageRow = typeof mailroomImapMessages.$inferSelect;
