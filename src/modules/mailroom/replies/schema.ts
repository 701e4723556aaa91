import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Keys that tie a mail to a document (case): Message-IDs of mails the town received (`in`) or sent
 * (`out`: replies and acknowledgements from the outbox, `<outbox-<id>@domain>`), and the
 * Vorgangsnummern (ticket numbers) the town issued. A later mail quoting one of them in
 * `In-Reply-To`/`References` or as `[#…]` attaches to that document. No personal data.
 */
export const mailroomCaseKeys = pgTable(
  'mailroom_case_keys',
  {
    /** `msgid:<message id without brackets, lower case>` or `ticket:<digits>`. */
    key: text('key').primaryKey(),
    documentId: bigint('document_id', { mode: 'number' }).notNull(),
    /** in | reply | ack | ticket */
    kind: text('kind').notNull(),
    outboxId: uuid('outbox_id'),
    /** SHA-256 of the lower-case recipient address for acknowledgements (loop protection), never the address. */
    recipientHash: text('recipient_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mailroom_case_keys_document_idx').on(t.documentId), index('mailroom_case_keys_recipient_idx').on(t.recipientHash, t.createdAt)],
);
