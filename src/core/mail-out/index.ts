import type { DbOrTx } from '../db/index.ts';
import { enqueue } from '../jobs/index.ts';
import { outbox } from './schema.ts';

export { outbox };

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
  /** Label for statistics, e.g. `appointment-confirmation`. */
  kind?: string;
}

/**
 * Puts a mail into the outbox inside the caller's transaction and queues its delivery job.
 * Delivery (SMTP, retries with backoff, dead letters) is done by the `mail.send` job.
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
  await enqueue(tx, 'mail.send', { outboxId: row!.id });
  return row!.id;
}
