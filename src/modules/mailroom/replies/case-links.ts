/**
 * Case linking: a mail attaches to an earlier document (the case) when it
 * 1. answers a mail the town sent or received (`In-Reply-To` / `References` Message-IDs),
 * 2. quotes a Vorgangsnummer the town issued or a ticket number of an earlier document (`[#267938]`),
 * 3. quotes the Aktenzeichen of an earlier document.
 * Keys live in `mailroom_case_keys`; no personal data is stored.
 */
import type { AppContext } from '../../../core/context.ts';
import type { DbOrTx } from '../../../core/db/index.ts';
import { findDocumentsByReference } from '../documents/repository.ts';
import { findCaseKeys, findTicketOf, recordCaseKey } from './repository.ts';

export type LinkVia = 'message-id' | 'ticket' | 'aktenzeichen';

/** One related document as stored in `fields.relatedDocuments` (`aktenzeichen` kept for older rows). */
export interface RelatedDocument {
  documentId: number;
  via: LinkVia;
  aktenzeichen?: string;
  ticket?: string;
  /** via `message-id`: the mail answered was sent by the town (reply or acknowledgement). */
  townMail?: true;
}

export const messageIdKey = (id: string): string => `msgid:${id.replace(/^<|>$/g, '').trim().toLowerCase()}`;
export const ticketKey = (n: string): string => `ticket:${n}`;

/** Vorgangsnummer of a document: year of receipt + 6-digit id (`2026000042`), written `[#2026000042]` in subjects. */
export const caseNumberOf = (doc: { id: number; createdAt: Date }): string => `${doc.createdAt.getUTCFullYear()}${String(doc.id).padStart(6, '0')}`;

/** Issues (once) and returns the Vorgangsnummer of a document, recorded so that `[#…]` in a later mail links back. */
export async function issueCaseNumber(tx: DbOrTx, doc: { id: number; createdAt: Date }): Promise<string> {
  const existing = await findTicketOf(tx, doc.id);
  if (existing) return existing;
  const n = caseNumberOf(doc);
  await recordCaseKey(tx, { key: ticketKey(n), documentId: doc.id, kind: 'ticket' });
  return n;
}

/** Earlier documents this mail belongs to, strongest evidence first, at most 10. */
export async function findRelatedDocuments(
  ctx: AppContext,
  refs: { messageIds: string[]; tickets: string[]; aktenzeichen: string[] },
  id: number,
): Promise<RelatedDocument[]> {
  const out: RelatedDocument[] = [];
  const add = (r: RelatedDocument) => {
    if (r.documentId !== id && !out.some((o) => o.documentId === r.documentId)) out.push(r);
  };
  const msgKeys = [...new Set(refs.messageIds.filter(Boolean).map(messageIdKey))].slice(0, 50);
  for (const k of await findCaseKeys(ctx.db, msgKeys, id)) add({ documentId: k.documentId, via: 'message-id', ...(k.kind === 'in' ? {} : { townMail: true as const }) });
  const tickets = refs.tickets.slice(0, 5);
  for (const k of await findCaseKeys(ctx.db, tickets.map(ticketKey), id)) add({ documentId: k.documentId, via: 'ticket', ticket: k.key.slice('ticket:'.length) });
  for (const t of tickets) for (const d of await findDocumentsByReference(ctx.db, 'ticket', t, id)) add({ documentId: d, via: 'ticket', ticket: t });
  for (const az of refs.aktenzeichen.slice(0, 5)) for (const d of await findDocumentsByReference(ctx.db, 'aktenzeichen', az, id)) add({ documentId: d, via: 'aktenzeichen', aktenzeichen: az });
  return out.slice(0, 10);
}
