import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { enqueueSql } from '../jobs/index.ts';
import { outbox } from './schema.ts';
import { cleanMessageId, cleanReferences } from './threading.ts';

export { outbox };
export { deliverOutboxMail, outboxMessageId, type DeliveryResult } from './deliver.ts';
export { listOutbox, outboxCounts, purgeOutbox, retryMail, OUTBOX_RETENTION, OUTBOX_STATUSES, type OutboxListItem, type OutboxStatus } from './admin.ts';
export { maskEmail, maskEmailsInText } from './mask.ts';
export { cleanMessageId, cleanReferences, replySubject, replyThread, MAX_REFERENCES, type ReplyThread } from './threading.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
  /** Label for statistics, e.g. `appointment-confirmation`. */
  kind?: string;
  /** A reply: Message-ID of the mail answered (with or without brackets), sent as `In-Reply-To`. */
  inReplyTo?: string;
  /** A reply: Message-IDs for `References`, oldest first (see `replyThread`). Invalid IDs are dropped. */
  references?: string[];
}

/** Delivery attempts per mail (the last failure makes it a dead letter). With the job backoff: 5 s, 25 s, 2 min, 10 min, 52 min. */
export const MAIL_MAX_ATTEMPTS = 6;

/**
 * Puts a mail into the outbox inside the caller's transaction and queues its delivery job
 * (one statement: outbox row + `mail.send` job).
 * Delivery (SMTP or .eml file, retries with backoff, dead letters) is done by the `mail.send` job.
 */
export async function queueMail(tx: DbOrTx, mail: OutgoingMail): Promise<string> {
  const q = queueMailSql(mail);
  await tx.execute(sql`WITH o AS (${q.outbox}) ${q.job}`);
  return q.id;
}

/**
 * The two INSERTs of `queueMail` as SQL fragments (one source of truth for the row shapes) with
 * the new outbox id, for a use case that folds its whole change into ONE statement
 * (data-modifying CTEs: `WITH …, m AS (${q.outbox}), j AS (${q.job}) SELECT …`). `from` is added
 * as `FROM …` to both (e.g. sql`p WHERE p.ok`: no mail when the statement's change did not happen).
 */
export function queueMailSql(mail: OutgoingMail, opts: { from?: SQL } = {}): { id: string; outbox: SQL; job: SQL } {
  const id = randomUUID();
  const from = opts.from ? sql` FROM ${opts.from}` : sql``;
  // Always the same columns (the statement text stays the same for prepared statements).
  return {
    id,
    outbox: sql`INSERT INTO outbox (id, to_address, subject, text_body, html_body, attachments, kind, in_reply_to, reference_ids)
      SELECT ${id}::uuid, ${mail.to}::text, ${mail.subject}::text, ${mail.text}::text, ${mail.html ?? null}::text, ${JSON.stringify(mail.attachments ?? [])}::jsonb, ${mail.kind ?? 'generic'}::text,
        ${cleanMessageId(mail.inReplyTo)}::text, ${JSON.stringify(cleanReferences(mail.references ?? []))}::jsonb${from}`,
    job: enqueueSql('mail.send', { outboxId: id }, { maxAttempts: MAIL_MAX_ATTEMPTS, ...(opts.from ? { from: opts.from } : {}) }),
  };
}
