import type { AppContext } from '../../../core/context.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { AppError } from '../../../core/errors.ts';
import { countByStatus, findDocument, listDocuments } from './repository.ts';
import type { DocumentRow } from './schema.ts';
import { readOriginal } from './storage.ts';

export const DOCUMENT_STATUSES = ['received', 'processing', 'routed', 'review', 'rejected', 'duplicate', 'automatic'] as const;

/** The staff inbox: newest documents first, optionally by status, with counts per status. */
export async function listInbox(ctx: AppContext, actor: Actor, f: { status?: string; limit?: number } = {}): Promise<{ rows: DocumentRow[]; counts: Record<string, number> }> {
  assertCan(actor, 'mailroom.process');
  const status = (DOCUMENT_STATUSES as readonly string[]).includes(f.status ?? '') ? f.status : undefined;
  const [rows, counts] = await Promise.all([listDocuments(ctx.db, { status, limit: f.limit ?? 100 }), countByStatus(ctx.db)]);
  return { rows, counts };
}

/** One document record. @throws AppError('not_found') */
export async function getDocument(ctx: AppContext, actor: Actor, id: number): Promise<DocumentRow> {
  assertCan(actor, 'mailroom.process');
  const row = Number.isSafeInteger(id) && id > 0 ? await findDocument(ctx.db, id) : null;
  if (!row) throw new AppError('not_found', 'Das Dokument wurde nicht gefunden.');
  return row;
}

/** The original bytes of a document, for download; every access is written to the audit log. */
export async function openOriginal(ctx: AppContext, actor: Actor, id: number): Promise<{ row: DocumentRow; buffer: Buffer }> {
  const row = await getDocument(ctx, actor, id);
  const buffer = await readOriginal(ctx, row.storagePath).catch(() => {
    throw new AppError('not_found', 'Die Originaldatei fehlt im Datenverzeichnis.');
  });
  await writeAudit(ctx.db, { actor, action: 'document.download', objectType: 'document', objectId: String(id) });
  return { row, buffer };
}
