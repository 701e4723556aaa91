import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** E-mail outbox: written in the same transaction as the business change, sent by a job. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    /** [{ filename, contentType, contentBase64 }] */
    attachments: jsonb('attachments').notNull().default([]),
    /** queued | sent | dead */
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    /** Free label for statistics (e.g. appointment-confirmation); no personal data. */
    kind: text('kind').notNull().default('generic'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** How it left: `smtp` (LOTSE_SMTP_URL) or `file` (.eml in LOTSE_DATA_DIR/outbox, no SMTP configured). */
    transport: text('transport'),
    /** Threading of a reply (RFC 5322 3.6.4): Message-ID of the mail answered, without angle brackets. */
    inReplyTo: text('in_reply_to'),
    /** Message-IDs (without brackets) for the `References` header, oldest first. */
    referenceIds: jsonb('reference_ids').notNull().default([]),
  },
  (t) => [index('outbox_status_idx').on(t.status, t.createdAt)],
);
