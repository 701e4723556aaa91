import type { DbOrTx } from '../db/index.ts';
import { enqueue } from '../jobs/index.ts';
import { outbox } from './schema.ts';

export { outbox };
export { deliverOutboxMail, type DeliveryResult } from './deliver.ts';
export { listOutbox, outboxCounts, purgeOutbox, retryMail, OUTBOX_RETENTION, OUTBOX_STATUSES, type OutboxListItem, type OutboxStatus } from './admin.ts';
export { maskEmail, maskEmailsInText } from './mask.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
  /** Label for statistics, e.g. `appointment-confirmation`. */
  kind?: string;
}

/** Delivery attempts per mail (the last failure makes it a dead letter). With the job backoff: 5 s, 25 s, 2 min, 10 min, 52 min. */
export const MAIL_MAX_ATTEMPTS = 6;

/**
 * Puts a mail into the outbox inside the caller's transaction and queues its delivery job.
 * Delivery (SMTP or .eml file, retries with backoff, dead letters) is done by the `mail.send` job.
 */
export async function queueMail(tx: DbOrTx, mail: OutgoingMail): Promise<string> {
  const [row] = await tx
    .insert(outbox)
    .values({
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      attachments: mail.attachments ?? [],
      kind: mail.kind ?? 'generic',
    })
    .returning({ id: outbox.id });
  await enqueue(tx, 'mail.send', { outboxId: row!.id }, { maxAttempts: MAIL_MAX_ATTEMPTS });
  return row!.id;
}
