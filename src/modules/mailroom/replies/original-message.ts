import type { ParsedMessage } from '../mail/index.ts';

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
 * The citizen's e-mail as the clerk drafting a reply reads it, from the mail `draftReply` has
 * already parsed (only the original .eml is stored for a document, so it is parsed on display with
 * the intake parser). Not logged, not audited (reading, no change).
 */
export function originalMessageOf(mail: ParsedMessage): OriginalMessage {
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
