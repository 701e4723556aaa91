/**
 * Automatic acknowledgement of a routed citizen e-mail ("Ihre Nachricht ist eingegangen"):
 * informational only, never a decision, always with the AI disclosure. Off unless the town switches
 * it on (setting `mailroom.acknowledgements`). Queued through the outbox in the same transaction
 * that records the document's result; audited without personal data.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import type { DbOrTx } from '../../../core/db/index.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { validationError } from '../../../core/errors.ts';
import { outboxMessageId, queueMail, replySubject, replyThread, type ReplyThread } from '../../../core/mail-out/index.ts';
import { getSetting, setSetting } from '../../../core/settings/index.ts';
import type { ParsedMessage } from '../mail/parse-mail.ts';
import { issueCaseNumber, messageIdKey } from './case-links.ts';
import { countRecentAcks, recordCaseKey } from './repository.ts';

export const ACK_SETTING = 'mailroom.acknowledgements';
export const ACK_VERSION = 'mailroom-ack-1';
/** At most one acknowledgement per recipient and per thread within this window (mail-loop protection). */
export const ACK_WINDOW_MS = 24 * 3600_000;

/** Disclosure sentence of every automatic acknowledgement. */
export const ACK_DISCLOSURE =
  'Hinweis: Diese Nachricht wurde automatisch erstellt. Ein KI-System hat Ihre Nachricht der zuständigen Stelle zugeordnet; es hat nichts entschieden. Eine Mitarbeiterin oder ein Mitarbeiter bearbeitet Ihr Anliegen.';

export interface AckSettings {
  enabled: boolean;
}

export async function getAckSettings(ctx: AppContext): Promise<AckSettings> {
  return { enabled: false, ...(await getSetting<Partial<AckSettings>>(ctx.db, ACK_SETTING, {})) };
}

/** Switches the automatic acknowledgements on or off (permission `mailroom.configure`, audited). */
export async function setAckSettings(ctx: AppContext, actor: Actor, input: AckSettings): Promise<AckSettings> {
  assertCan(actor, 'mailroom.configure');
  const parsed = z.object({ enabled: z.boolean() }).safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  await ctx.db.transaction(async (tx) => {
    await setSetting(tx, ACK_SETTING, parsed.data, actor.type === 'user' ? actor.id : null);
    await writeAudit(tx, { actor, action: 'settings.update', objectType: 'setting', objectId: ACK_SETTING, summary: { after: parsed.data } });
  });
  return parsed.data;
}

/** Local parts that never get an automatic answer (RFC 3834 and common practice). */
const NO_REPLY_SENDER = /^(?:no-?reply|do-?not-?reply|noreply|nicht-?antworten|mailer-daemon|postmaster|bounces?|notifications?|listserv|majordomo|owner-|[^@]*-(?:bounces|request)@)/i;

/**
 * Why a mail gets no acknowledgement (null: it may get one). Pure, for tests: auto-replies,
 * bounces, automatically generated mail (`Auto-Submitted` ≠ no), bulk/list mail, no-reply senders,
 * the town's own addresses.
 */
export function ackBlocker(mail: ParsedMessage, ownDomains: string[]): string | null {
  if (mail.isBounce) return 'bounce';
  if (mail.isAutoReply) return 'auto-reply';
  const auto = (mail.headers['auto-submitted'] ?? 'no').trim().toLowerCase();
  if (auto && auto !== 'no') return 'auto-submitted';
  if (/bulk|list|junk/i.test(mail.headers['precedence'] ?? '') || 'list-id' in mail.headers || 'list' in mail.headers || 'list-unsubscribe' in mail.headers) return 'list';
  const to = (mail.replyTo ?? mail.from).toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(to)) return 'no-address';
  if (NO_REPLY_SENDER.test(to)) return 'no-reply-sender';
  const domain = to.split('@')[1]!;
  if (ownDomains.includes(domain)) return 'own-address';
  return null;
}

export interface AckPlan {
  document: { id: number; createdAt: Date };
  to: string;
  recipientHash: string;
  subject: string;
  department: string | null;
  departmentName: string | null;
  aktenzeichen: string | null;
  receivedAt: Date;
  /** `In-Reply-To`/`References` of the acknowledgement: it is a reply to the citizen's mail. */
  thread: ReplyThread;
}

const hashAddress = (a: string) => createHash('sha256').update(a.trim().toLowerCase()).digest('hex');

function ownDomains(ctx: AppContext): string[] {
  const out: string[] = [];
  for (const s of [ctx.town.contact.email, ctx.town.contact.eInvoiceEmail, ctx.config.LOTSE_MAIL_FROM]) {
    const m = /@([^>\s]+)/.exec(s ?? '');
    if (m) out.push(m[1]!.toLowerCase());
  }
  return out;
}

/**
 * Decides (reads only) whether a routed mail gets an acknowledgement: setting on, a citizen's
 * address, and no acknowledgement to this address or for this thread in the last 24 h.
 */
export async function planAcknowledgement(
  ctx: AppContext,
  document: { id: number; createdAt: Date },
  mail: ParsedMessage,
  opts: { department: string | null; relatedIds: number[] },
): Promise<AckPlan | null> {
  if (!(await getAckSettings(ctx)).enabled) return null;
  if (ackBlocker(mail, ownDomains(ctx))) return null;
  const to = (mail.replyTo ?? mail.from).trim();
  const recipientHash = hashAddress(to);
  const recent = await countRecentAcks(ctx.db, { recipientHash, documentIds: [document.id, ...opts.relatedIds], since: new Date(ctx.now().getTime() - ACK_WINDOW_MS) });
  if (recent > 0) return null;
  return {
    document,
    to,
    recipientHash,
    subject: mail.subject,
    department: opts.department,
    departmentName: ctx.town.departments.find((d) => d.key === opts.department)?.name ?? null,
    aktenzeichen: mail.identifiers.aktenzeichen[0] ?? null,
    receivedAt: mail.date ? new Date(mail.date) : document.createdAt,
    thread: replyThread(mail),
  };
}

const berlinDate = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' });

/** The acknowledgement text (pure). */
export function ackText(townName: string, plan: Pick<AckPlan, 'departmentName' | 'aktenzeichen' | 'receivedAt'>, caseNumber: string): string {
  return [
    'Guten Tag,',
    '',
    `Ihre Nachricht vom ${berlinDate.format(plan.receivedAt)} ist bei der ${townName} eingegangen.`,
    '',
    `Vorgangsnummer: ${caseNumber}`,
    ...(plan.aktenzeichen ? [`Aktenzeichen: ${plan.aktenzeichen}`] : []),
    `Zuständig: ${plan.departmentName ?? 'wird von der Poststelle bestimmt'}`,
    '',
    'Bitte geben Sie die Vorgangsnummer bei Rückfragen an oder antworten Sie einfach auf diese E-Mail; Ihre Antwort wird dem Vorgang zugeordnet.',
    'Diese Eingangsbestätigung ist keine Entscheidung in Ihrer Sache.',
    '',
    'Mit freundlichen Grüßen',
    townName,
    '',
    ACK_DISCLOSURE,
  ].join('\n');
}

/** Subject of the acknowledgement (pure): a reply (`AW: ` unless already prefixed) that says what it is and carries the Vorgangsnummer. */
export function ackSubject(subject: string, caseNumber: string): string {
  return `${replySubject(subject.replace(/\s+/g, ' ').trim().slice(0, 120))} – Eingangsbestätigung [#${caseNumber}]`;
}

/** Queues the acknowledgement inside the caller's transaction (the one recording the document's result); null when one was sent meanwhile. */
export async function acknowledgeInTx(ctx: AppContext, tx: DbOrTx, actor: Actor, plan: AckPlan): Promise<string | null> {
  // Serialise per recipient and look again: two mails of one sender processed at the same time get one acknowledgement.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`mailroom-ack:${plan.recipientHash}`}))`);
  if ((await countRecentAcks(tx, { recipientHash: plan.recipientHash, documentIds: [plan.document.id], since: new Date(ctx.now().getTime() - ACK_WINDOW_MS) })) > 0) return null;
  const caseNumber = await issueCaseNumber(tx, plan.document);
  const outboxId = await queueMail(tx, {
    to: plan.to,
    subject: ackSubject(plan.subject, caseNumber),
    text: ackText(ctx.town.name, plan, caseNumber),
    kind: 'mailroom-acknowledgement',
    ...plan.thread,
  });
  await recordCaseKey(tx, { key: messageIdKey(outboxMessageId(ctx.config.LOTSE_MAIL_FROM, outboxId)), documentId: plan.document.id, kind: 'ack', outboxId, recipientHash: plan.recipientHash, at: ctx.now() });
  await writeAudit(tx, {
    actor,
    action: 'document.acknowledge',
    objectType: 'document',
    objectId: String(plan.document.id),
    summary: { department: plan.department, caseNumber, version: ACK_VERSION },
  });
  return outboxId;
}
