import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { AppError, validationError } from '../../../core/errors.ts';
import { sniff } from './detect.ts';
import { outcomeOf, processDocument, type DocumentOutcome } from './process-document.ts';
import { findDocument, findDocumentBySha, insertDocument, updateDocument } from './repository.ts';
import { sha256Hex, storeOriginal } from './storage.ts';

export const ingestInputSchema = z.object({
  buffer: z.instanceof(Buffer),
  filename: z
    .string()
    .trim()
    .min(1, 'Dateiname fehlt')
    .max(255, 'Dateiname zu lang')
    .transform((s) => s.replace(/[\\/]/g, '_')),
  /** upload | folder | imap | cli | email-attachment … */
  source: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'Quelle: Kleinbuchstaben, Ziffern, Bindestrich'),
});

export type IngestInput = z.input<typeof ingestInputSchema>;

export interface IngestResult extends DocumentOutcome {
  /** True when exactly this file (same SHA-256) was received before; no new record is made. */
  sameFile: boolean;
}

/**
 * Takes in one document: keeps the original (content-addressed), records it, reads and decides
 * (see processDocument). The same bytes twice give the existing record with status `duplicate`
 * reported (the stored record keeps its own status) – unless it was rejected: then the rejection and
 * its reason are repeated (status `rejected`). OCR runs inline (`ocr: 'now'`, CLI) or as a
 * `documents.ocr` job (`ocr: 'job'`, intake).
 * @throws AppError('forbidden') without `mailroom.process`; AppError('validation') on bad input.
 */
export async function ingestDocument(ctx: AppContext, actor: Actor, input: IngestInput, opts: { ocr?: 'now' | 'job'; depth?: number } = {}): Promise<IngestResult> {
  assertCan(actor, 'mailroom.process');
  const parsed = ingestInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { buffer, filename, source } = parsed.data;
  const sha256 = sha256Hex(buffer);

  const existing = await findDocumentBySha(ctx.db, sha256);
  if (existing?.status === 'rejected') {
    // The same unreadable bytes again (empty, corrupt, too large …): the sender gets the same rejection
    // and its reason, not "already received" – nothing usable was ever received.
    await writeAudit(ctx.db, { actor, action: 'document.reject_again', objectType: 'document', objectId: String(existing.id), summary: { source, kind: existing.kind } });
    return { ...outcomeOf(existing), status: 'rejected', duplicateOf: null, sameFile: true };
  }
  if (existing) {
    await writeAudit(ctx.db, { actor, action: 'document.duplicate_file', objectType: 'document', objectId: String(existing.id), summary: { source } });
    return {
      ...outcomeOf(existing),
      status: 'duplicate',
      reason: `Dieselbe Datei (SHA-256) ist bereits als Dokument ${existing.id} eingegangen.`,
      duplicateOf: existing.id,
      sameFile: true,
    };
  }

  const storagePath = await storeOriginal(ctx, buffer, sha256);
  const mime = buffer.length ? sniff(buffer).mime : 'application/octet-stream';
  const row = await ctx.db.transaction(async (tx) => {
    const r = await insertDocument(tx, { sha256, originalFilename: filename, mime, size: buffer.length, storagePath, source, status: 'received' });
    if (r) await writeAudit(tx, { actor, action: 'document.receive', objectType: 'document', objectId: String(r.id), summary: { source, mime, size: buffer.length } });
    return r;
  });
  if (!row) {
    // Another intake stored the same bytes between our check and insert.
    const other = await findDocumentBySha(ctx.db, sha256);
    if (!other) throw new AppError('internal', 'Dokument konnte nicht gespeichert werden.');
    return { ...outcomeOf(other), status: 'duplicate', reason: `Dieselbe Datei ist bereits als Dokument ${other.id} eingegangen.`, duplicateOf: other.id, sameFile: true };
  }
  const { attachments, ...outcome } = await processDocument(ctx, actor, row.id, { ocr: opts.ocr ?? 'now' });
  const result: IngestResult = { ...outcome, sameFile: false };
  // Attachments of an e-mail are documents of their own (an invoice sent to rechnung@ is an invoice);
  // one level deep, at most MAX_ATTACHMENTS, so a mail bomb cannot fan out.
  if (attachments?.length && (opts.depth ?? 0) === 0) {
    const children = [];
    for (const a of attachments.slice(0, MAX_ATTACHMENTS)) {
      const c = await ingestDocument(ctx, actor, { buffer: a.content, filename: a.filename, source: 'email-attachment' }, { ...opts, depth: 1 });
      children.push({ filename: a.filename, documentId: c.documentId, status: c.status, kind: c.kind });
    }
    const row2 = (await findDocument(ctx.db, row.id))!;
    await updateDocument(ctx.db, row.id, { fields: { ...(row2.fields as Record<string, unknown>), attachments: children } });
    result.fields = { ...result.fields, attachments: children };
  }
  return result;
}

/** Attachments taken from one e-mail. */
export const MAX_ATTACHMENTS = 20;
