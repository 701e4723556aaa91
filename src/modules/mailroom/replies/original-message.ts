import type { AppContext } from '../../../core/context.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { AppError } from '../../../core/errors.ts';
import { findDocument } from '../documents/repository.ts';
import { readOriginal } from '../documents/storage.ts';
import { parseMail } from '../mail/index.ts';

/** Longest body shown on the reply page (the stored original keeps everything). */
export const MAX_ORIGINAL_CHARS = 20_000;

export interface OriginalMessage {
  from: string;
  fromName: string | null;
  /** When the mail was written (its Date header), ISO; null when missing or unreadable. */
  date: string | null;
  subject: string;
  /** Plain text body (HTML-only mails converted), cut at {@link MAX_ORIGINAL_CHARS}. */
  text: string;
  truncated: boolean;
}

/**
 * The citizen's e-mail as the clerk drafting a reply reads it. Only the original .eml is stored
 * for a document, so it is parsed on display (the same parser as on intake). Not logged, not audited
 * (reading, no change); needs `mailroom.process`.
 * @throws AppError('not_found') / ('validation') when the document does not exist or is not an e-mail.
 */
export async function readOriginalMessage(ctx: AppContext, actor: Actor, documentId: number): Promise<OriginalMessage> {
  assertCan(actor, 'mailroom.process');
  const row = await findDocument(ctx.db, documentId);
  if (!row) throw new AppError('not_found', 'Das Dokument wurde nicht gefunden.');
  if (row.kind !== 'email') throw new AppError('validation', 'Antworten gibt es nur auf E-Mails.');
  const mail = await parseMail(await readOriginal(ctx, row.storagePath));
  const body = mail.text
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const date = mail.date && !Number.isNaN(Date.parse(mail.date)) ? new Date(mail.date).toISOString() : null;
  return {
    from: mail.from,
    fromName: mail.fromName,
    date,
    subject: mail.subject,
    text: body.slice(0, MAX_ORIGINAL_CHARS),
    truncated: body.length > MAX_ORIGINAL_CHARS,
  };
}
