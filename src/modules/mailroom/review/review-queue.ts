import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { AppError, validationError } from '../../../core/errors.ts';
import { enqueue } from '../../../core/jobs/index.ts';
import { listDocuments, findDocument, updateDocument } from '../documents/repository.ts';
import { readDocument } from '../documents/read-document.ts';
import { readOriginal } from '../documents/storage.ts';
import type { DocumentRow } from '../documents/schema.ts';
import { listTriageModels, recordCorrection, type ModelSummary } from '../triage/index.ts';
import { MAIL_CATEGORIES } from '../mail/index.ts';

export const REVIEW_MODEL = 'default';

export interface ReviewQueue {
  rows: DocumentRow[];
  categories: string[];
  /** The active triage model and its held-out figures, or null when none is trained. */
  model: ModelSummary | null;
}

/** Documents waiting for a person (abstained, failed validation, unreadable), oldest first; optional category filter. */
export async function listReviewQueue(ctx: AppContext, actor: Actor, f: { category?: string } = {}): Promise<ReviewQueue> {
  assertCan(actor, 'mailroom.process');
  const all = (await listDocuments(ctx.db, { status: 'review', limit: 500 })).reverse();
  const rows = f.category ? all.filter((r) => (r.category ?? '') === f.category) : all;
  const models = await listTriageModels(ctx, REVIEW_MODEL);
  const model = models.find((m) => m.active) ?? null;
  const categories = [...new Set([...(model?.categories ?? []), ...MAIL_CATEGORIES, 'Rechnungseingang', ...all.map((r) => r.category).filter((c): c is string => !!c)])].sort((a, b) => a.localeCompare(b, 'de'));
  return { rows, categories, model };
}

const resolveSchema = z.object({
  documentId: z.coerce.number().int().positive(),
  category: z.string().trim().min(1, 'Bitte eine Kategorie wählen').max(100),
  department: z.string().trim().min(1, 'Bitte einen Fachbereich wählen').max(60),
});

/**
 * The clerk confirms or corrects category and department of a document in review and routes it.
 * The decision is audited; the document text becomes a training example of the triage model
 * (not for e-invoices, whose category comes from rules). Resolves with whether an example was stored.
 */
export async function resolveReview(ctx: AppContext, actor: Actor, input: z.input<typeof resolveSchema>): Promise<{ document: DocumentRow; trainingExample: boolean }> {
  assertCan(actor, 'mailroom.process');
  const parsed = resolveSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { documentId, category, department } = parsed.data;
  if (!ctx.town.departments.some((d) => d.key === department)) throw new AppError('validation', 'Unbekannter Fachbereich.', { field: 'department' });
  const row = await findDocument(ctx.db, documentId);
  if (!row) throw new AppError('not_found', 'Das Dokument wurde nicht gefunden.');
  if (row.status !== 'review') throw new AppError('conflict', 'Das Dokument ist nicht (mehr) in der Prüfung.');
  const corrected = row.category !== category;
  const document = await ctx.db.transaction(async (tx) => {
    const u = await updateDocument(tx, documentId, {
      status: 'routed',
      category,
      department,
      reason: corrected ? 'Von der Sachbearbeitung zugeordnet (korrigiert).' : 'Von der Sachbearbeitung bestätigt.',
      modelVersion: [row.modelVersion, 'staff-review'].filter(Boolean).join('; '),
      updatedAt: ctx.now(),
    });
    await writeAudit(tx, { actor, action: 'document.review', objectType: 'document', objectId: String(documentId), summary: { category, department, corrected, previousCategory: row.category } });
    return u;
  });
  let trainingExample = false;
  if (!['xrechnung-ubl', 'xrechnung-cii', 'zugferd'].includes(row.kind)) {
    try {
      const reading = await readDocument(await readOriginal(ctx, row.storagePath), row.originalFilename, { ocr: 'defer' });
      if (reading.text.trim().length >= 20) {
        await recordCorrection(ctx, actor, { modelName: REVIEW_MODEL, externalId: `document:${documentId}`, subject: reading.subject ?? null, text: reading.text.slice(0, 20_000), category });
        trainingExample = true;
      }
    } catch {
      // Scans without a text layer (OCR needed) or unreadable files: routed without a training example.
    }
  }
  return { document, trainingExample };
}

/** Queues the retraining job of the triage model (audited). */
export async function requestRetrain(ctx: AppContext, actor: Actor): Promise<boolean> {
  assertCan(actor, 'mailroom.process');
  return ctx.db.transaction(async (tx) => {
    const id = await enqueue(tx, 'mailroom.triage-retrain', { modelName: REVIEW_MODEL }, { singletonKey: `triage-retrain:${REVIEW_MODEL}` });
    await writeAudit(tx, { actor, action: 'triage_model.retrain_requested', objectType: 'triage_model', objectId: REVIEW_MODEL, summary: { queued: id !== null } });
    return id !== null;
  });
}
