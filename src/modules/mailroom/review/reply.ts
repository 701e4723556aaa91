import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { AppError, validationError } from '../../../core/errors.ts';
import { queueMail } from '../../../core/mail-out/index.ts';
import { searchServices } from '../../catalog/index.ts';
import { findDocument } from '../documents/repository.ts';
import { readOriginal } from '../documents/storage.ts';
import { parseMail } from '../mail/index.ts';

/** Sentence every drafted reply carries (AI disclosure; the clerk may edit the rest). */
export const AI_DISCLOSURE = 'Hinweis: Dieser Antwortvorschlag wurde mit Unterstützung eines KI-Systems (Suche im Leistungskatalog) erstellt und von einer Mitarbeiterin oder einem Mitarbeiter geprüft. Er ist eine allgemeine Information und keine Entscheidung in Ihrer Sache.';
/** Below this catalog confidence the draft names no service (a wrong link is worse than none). */
export const MIN_SERVICE_CONFIDENCE = 0.35;

export interface ReplyDraft {
  documentId: number;
  to: string;
  subject: string;
  text: string;
  service: { id: string; title: string; url: string; confidence: number } | null;
}

/**
 * Drafts an informational reply to a citizen e-mail: greeting, the best matching catalog service
 * (title + link) when the catalog is confident enough, the AI disclosure. Never a decision.
 * @throws AppError('not_found') / ('validation') when the document is not an e-mail or is an auto-reply.
 */
export async function draftReply(ctx: AppContext, actor: Actor, documentId: number): Promise<ReplyDraft> {
  assertCan(actor, 'mailroom.process');
  const row = await findDocument(ctx.db, documentId);
  if (!row) throw new AppError('not_found', 'Das Dokument wurde nicht gefunden.');
  if (row.kind !== 'email') throw new AppError('validation', 'Antworten gibt es nur auf E-Mails.');
  const mail = await parseMail(await readOriginal(ctx, row.storagePath));
  if (mail.isAutoReply || mail.isBounce) throw new AppError('validation', 'Auf automatische Antworten und Unzustellbarkeitsnachrichten wird nicht geantwortet.');
  const to = mail.replyTo ?? mail.from;
  if (!to) throw new AppError('validation', 'Die E-Mail hat keine Absenderadresse.');
  const [hit] = await searchServices(ctx, `${mail.subject} ${mail.ownText}`.slice(0, 1000), { limit: 1 });
  const service = hit && hit.confidence >= MIN_SERVICE_CONFIDENCE ? { id: hit.service.id, title: hit.service.title, url: `${ctx.config.baseUrl}/leistungen/${encodeURIComponent(hit.service.id)}`, confidence: hit.confidence } : null;
  const lines = ['Guten Tag,', '', `vielen Dank für Ihre Nachricht an die ${ctx.town.name}.`, ''];
  if (service) lines.push('Informationen zu Ihrem Anliegen finden Sie hier:', `${service.title}: ${service.url}`, '');
  else lines.push('Wir haben Ihre Nachricht erhalten und leiten sie an die zuständige Stelle weiter.', '');
  lines.push('Mit freundlichen Grüßen', ctx.town.name, '', AI_DISCLOSURE);
  const subject = /^(re|aw):/i.test(mail.subject) ? mail.subject : `AW: ${mail.subject || 'Ihre Nachricht'}`;
  return { documentId, to, subject, text: lines.join('\n'), service };
}

const sendSchema = z.object({
  documentId: z.coerce.number().int().positive(),
  subject: z.string().trim().min(1).max(200),
  text: z.string().trim().min(10, 'Der Antworttext ist zu kurz').max(20_000),
});

/**
 * Sends the edited reply via the outbox (to the sender of the stored e-mail, never to a typed address);
 * the AI disclosure is appended if the clerk removed it. Audited without content.
 */
export async function sendReply(ctx: AppContext, actor: Actor, input: z.input<typeof sendSchema>): Promise<{ outboxId: string }> {
  assertCan(actor, 'mailroom.process');
  const parsed = sendSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const draft = await draftReply(ctx, actor, parsed.data.documentId);
  const text = parsed.data.text.includes(AI_DISCLOSURE) ? parsed.data.text : `${parsed.data.text}\n\n${AI_DISCLOSURE}`;
  return ctx.db.transaction(async (tx) => {
    const outboxId = await queueMail(tx, { to: draft.to, subject: parsed.data.subject, text, kind: 'mailroom-reply' });
    await writeAudit(tx, { actor, action: 'document.reply', objectType: 'document', objectId: String(draft.documentId), summary: { service: draft.service?.id ?? null, edited: parsed.data.text !== draft.text } });
    return { outboxId };
  });
}
