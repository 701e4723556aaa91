import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { AppError, validationError } from '../../../core/errors.ts';
import { outboxMessageId, queueMail, replySubject, replyThread } from '../../../core/mail-out/index.ts';
import { askQuestion, MAX_QUESTION_CHARS, type RefusalReason } from '../../assistant/index.ts';
import { findDocument } from '../documents/repository.ts';
import { readOriginal } from '../documents/storage.ts';
import { parseMail, type ParsedMessage } from '../mail/index.ts';
import { caseNumberOf, issueCaseNumber, messageIdKey } from '../replies/case-links.ts';
import { originalMessageOf, type OriginalMessage } from '../replies/original-message.ts';
import { recordCaseKey } from '../replies/repository.ts';

/** Sentence every drafted reply carries (AI disclosure; the clerk may edit the rest). */
export const AI_DISCLOSURE =
  'Hinweis: Dieser Antwortvorschlag wurde mit Unterstützung eines KI-Systems (Lotse-Assistent, Antworten aus dem Leistungskatalog der Stadt) erstellt und von einer Mitarbeiterin oder einem Mitarbeiter geprüft. Er ist eine allgemeine Information und keine Entscheidung in Ihrer Sache.';
/** Kept for callers of the first version: the assistant's own weak-evidence threshold now decides. */
export const MIN_SERVICE_CONFIDENCE = 0.25;
export const REPLY_DRAFT_VERSION = 'mailroom-reply-2';

export interface ReplyDraft {
  documentId: number;
  to: string;
  subject: string;
  text: string;
  /** `answer`: the assistant's composed answer with sources; `neutral`: it refused or the evidence was weak. */
  mode: 'answer' | 'neutral';
  /** The best source (first of `sources`), null for a neutral draft. */
  service: { id: string; title: string; url: string; confidence: number } | null;
  sources: { serviceId: string; title: string; url: string }[];
  confidence: number;
  refusalReason: RefusalReason | null;
  /** Vorgangsnummer written into the subject (`[#…]`); replies to the reply link back to this document. */
  caseNumber: string;
  /** The citizen's e-mail the draft answers (shown above the draft). */
  original: OriginalMessage;
}

const GREETING = /^\s*(sehr geehrte[rs]?\b.*|hallo\b.*|guten (tag|morgen|abend)\b.*|liebe[rs]?\b.*|moin\b.*|hi\b.*)$/i;
const CLOSING = /^\s*(mit freundlichen grü(ß|ss)en|freundliche grü(ß|ss)e|viele grü(ß|ss)e|beste grü(ß|ss)e|mfg|lg|gruß|vg|herzliche grü(ß|ss)e|--\s*)\b/i;

/**
 * The citizen's question as the assistant should see it: subject without reply prefixes and ticket
 * tags, the mail's own text without greeting, closing and signature, at most {@link MAX_QUESTION_CHARS}
 * characters (cut at a sentence end).
 */
export function mailToQuestion(mail: Pick<ParsedMessage, 'subject' | 'ownText' | 'text'>): string {
  const subject = mail.subject
    .replace(/^\s*((re|aw|wg|fw|fwd)\s*:\s*)+/i, '')
    .replace(/\[(?:ticket)?#\s?\d+\]/gi, '')
    .trim();
  const lines: string[] = [];
  for (const line of (mail.ownText || mail.text).split(/\r?\n/)) {
    if (CLOSING.test(line)) break;
    if (!lines.length && (GREETING.test(line) || !line.trim())) continue;
    lines.push(line.trim());
  }
  const body = lines.join(' ').replace(/\s+/g, ' ').trim();
  let q = subject && !body.toLowerCase().includes(subject.toLowerCase()) ? `${subject}. ${body}` : body || subject;
  const max = MAX_QUESTION_CHARS - 10;
  if (q.length > max) {
    const cut = q.slice(0, max);
    const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('? '), cut.lastIndexOf('! '));
    q = end > max / 2 ? cut.slice(0, end + 1) : cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : max);
  }
  return q.trim();
}

async function loadMail(ctx: AppContext, documentId: number) {
  const row = await findDocument(ctx.db, documentId);
  if (!row) throw new AppError('not_found', 'Das Dokument wurde nicht gefunden.');
  if (row.kind !== 'email') throw new AppError('validation', 'Antworten gibt es nur auf E-Mails.');
  const mail = await parseMail(await readOriginal(ctx, row.storagePath));
  if (mail.isAutoReply || mail.isBounce) throw new AppError('validation', 'Auf automatische Antworten und Unzustellbarkeitsnachrichten wird nicht geantwortet.');
  const to = mail.replyTo ?? mail.from;
  if (!to) throw new AppError('validation', 'Die E-Mail hat keine Absenderadresse.');
  return { row, mail, to };
}

/**
 * Drafts an informational reply to a citizen e-mail with the assistant's retrieval and composer
 * (`askQuestion` with `record: false`: neither the mail nor the answer is stored in the assistant's
 * tables): what to do, documents, fees, where/when, booking link, sources, and the AI disclosure.
 * When the assistant refuses or the evidence is weak: a neutral draft without content ("a colleague
 * will answer"). Never a decision.
 * @throws AppError('not_found') / ('validation') when the document is not an e-mail or is an auto-reply.
 */
export async function draftReply(ctx: AppContext, actor: Actor, documentId: number): Promise<ReplyDraft> {
  assertCan(actor, 'mailroom.process');
  return composeDraft(ctx, documentId, await loadMail(ctx, documentId));
}

/** The draft for a mail `loadMail` has read (one read and parse of the stored .eml per request). */
async function composeDraft(ctx: AppContext, documentId: number, { row, mail, to }: Awaited<ReturnType<typeof loadMail>>): Promise<ReplyDraft> {
  const question = mailToQuestion(mail);
  const asked = await askQuestion(ctx, { question: question || mail.subject || '-', lang: 'de', channel: 'api' }, { record: false });
  const sources = asked.sources.map((s) => ({ serviceId: s.serviceId, title: s.title, url: `${ctx.config.baseUrl}/leistungen/${encodeURIComponent(s.serviceId)}` }));
  const answered = !asked.refused && sources.length > 0;
  const lines = ['Guten Tag,', '', `vielen Dank für Ihre Nachricht an die ${ctx.town.name}.`, ''];
  if (answered) {
    // The chat's lead-in ("Das habe ich … gefunden:") is replaced by a letter's.
    const answer = asked.answer.replace(/^Das habe ich in den Leistungsbeschreibungen[^\n]*\n/, '').trim();
    lines.push('Zu Ihrem Anliegen haben wir folgende Informationen für Sie zusammengestellt:', '', answer, '');
    // The letter names the service(s) the answer is built from (the composer uses the best hit and a close runner-up); the page lists all.
    const named = sources.slice(0, 2);
    lines.push(named.length > 1 ? 'Quellen:' : 'Quelle:', ...named.map((s) => `- ${s.title}: ${s.url}`), '');
  } else {
    lines.push('Ihre Nachricht ist bei uns eingegangen. Eine Kollegin oder ein Kollege der zuständigen Stelle wird Ihnen so bald wie möglich antworten.', '');
  }
  lines.push('Mit freundlichen Grüßen', ctx.town.name, '', AI_DISCLOSURE);
  const caseNumber = caseNumberOf(row);
  const base = replySubject(mail.subject);
  const subject = base.includes(`[#${caseNumber}]`) ? base : `${base} [#${caseNumber}]`;
  const top = answered ? sources[0]! : null;
  return {
    documentId,
    to,
    subject,
    text: lines.join('\n'),
    mode: answered ? 'answer' : 'neutral',
    service: top ? { id: top.serviceId, title: top.title, url: top.url, confidence: asked.confidence } : null,
    sources: answered ? sources : [],
    confidence: asked.confidence,
    refusalReason: asked.refusalReason,
    caseNumber,
    original: originalMessageOf(mail),
  };
}

const sendSchema = z.object({
  documentId: z.coerce.number().int().positive(),
  subject: z.string().trim().min(1).max(200),
  text: z.string().trim().min(10, 'Der Antworttext ist zu kurz').max(20_000),
});

/**
 * Sends the edited reply via the outbox (to the sender of the stored e-mail, never to a typed address)
 * as a reply in the citizen's thread (`In-Reply-To`/`References` of the stored mail);
 * the AI disclosure is appended if the clerk removed it. The reply's Message-ID and the Vorgangsnummer
 * are recorded, so the citizen's answer attaches to this document. Audited without content.
 */
export async function sendReply(ctx: AppContext, actor: Actor, input: z.input<typeof sendSchema>): Promise<{ outboxId: string }> {
  assertCan(actor, 'mailroom.process');
  const parsed = sendSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const loaded = await loadMail(ctx, parsed.data.documentId);
  const draft = await composeDraft(ctx, parsed.data.documentId, loaded);
  const { row, mail } = loaded;
  const text = parsed.data.text.includes(AI_DISCLOSURE) ? parsed.data.text : `${parsed.data.text}\n\n${AI_DISCLOSURE}`;
  return ctx.db.transaction(async (tx) => {
    const caseNumber = await issueCaseNumber(tx, row);
    // In-Reply-To/References of the citizen's mail: the reply shows in the same conversation.
    const outboxId = await queueMail(tx, { to: draft.to, subject: parsed.data.subject, text, kind: 'mailroom-reply', ...replyThread(mail) });
    await recordCaseKey(tx, { key: messageIdKey(outboxMessageId(ctx.config.LOTSE_MAIL_FROM, outboxId)), documentId: draft.documentId, kind: 'reply', outboxId, at: ctx.now() });
    await writeAudit(tx, {
      actor,
      action: 'document.reply',
      objectType: 'document',
      objectId: String(draft.documentId),
      summary: { service: draft.service?.id ?? null, mode: draft.mode, edited: parsed.data.text !== draft.text, caseNumber, version: REPLY_DRAFT_VERSION },
    });
    return { outboxId };
  });
}
