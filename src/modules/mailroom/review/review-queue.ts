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
import { classifyText, listTriageModels, recordCorrection, type Explanation, type ModelSummary } from '../triage/index.ts';
import { MAIL_CATEGORIES } from '../mail/index.ts';

/** The general triage model: letters, scans, uploads (everything that is not an e-mail). */
export const REVIEW_MODEL = 'default';
/** The e-mail model: corrections of e-mails train it; the intake asks it first for e-mails (then `default`). */
export const MAIL_REVIEW_MODEL = 'mail';

/** E-mails (and only they) train the mail model. */
export const isMailDocument = (row: Pick<DocumentRow, 'kind' | 'fields'>): boolean => row.kind === 'email' || !!(row.fields as { mail?: unknown } | null)?.mail;

/** The model a staff correction of this document trains. */
export const trainingModelFor = (row: Pick<DocumentRow, 'kind' | 'fields'>): string => (isMailDocument(row) ? MAIL_REVIEW_MODEL : REVIEW_MODEL);

export interface ReviewQueue {
  rows: DocumentRow[];
  categories: string[];
  /** The active triage model and its held-out figures, or null when none is trained. */
  model: ModelSummary | null;
  /** The active `mail` model (trained on e-mail corrections), or null. */
  mailModel: ModelSummary | null;
  /** Top-3 categories per document id (first {@link TOP3_ROWS}): the stored mail-triage ranking for e-mails, else the active model's. */
  top3: Record<number, { category: string; score: number }[]>;
  /** Why the active model ranks its first category first (documents classified by the model, not e-mails). */
  why: Record<number, Explanation>;
}

/** Documents per page for which the top-3 categories are computed (each needs its text read again). */
export const TOP3_ROWS = 20;
const INVOICE_KINDS = ['xrechnung-ubl', 'xrechnung-cii', 'zugferd'];

async function documentText(ctx: AppContext, row: DocumentRow): Promise<{ subject: string | null; text: string } | null> {
  if (INVOICE_KINDS.includes(row.kind)) return null;
  try {
    const reading = await readDocument(await readOriginal(ctx, row.storagePath), row.originalFilename, { ocr: 'defer' });
    return reading.text.trim().length >= 20 ? { subject: reading.subject ?? null, text: reading.text.slice(0, 20_000) } : null;
  } catch {
    return null; // scan without text layer (OCR needed) or unreadable file
  }
}

/**
 * The three most likely categories of one document: the stored ranking of the mail triage for
 * e-mails, else the active triage model's (null without a model, for e-invoices and texts not yet read).
 */
/** The keyword ranking stored for a letter/scan decided without a model (`fields.triage.top`), if any. */
function keywordTop(row: DocumentRow): { category: string; score: number }[] | null {
  const top = (row.fields as { triage?: { top?: { category: string; score: number }[] } } | null)?.triage?.top;
  return top?.length ? top.slice(0, 3) : null;
}

export async function documentTop3(ctx: AppContext, row: DocumentRow): Promise<{ source: string; top: { category: string; score: number }[]; why?: Explanation } | null> {
  const mail = (row.fields as { mail?: { top?: { category: string; score: number }[]; decidedBy?: string } } | null)?.mail;
  if (mail?.top?.length) return { source: mail.decidedBy?.startsWith('model:') ? `Modell ${mail.decidedBy.slice(6)}` : 'E-Mail-Regeln und Stichwortliste', top: mail.top.slice(0, 3) };
  if (mail) return null;
  const model = (await listTriageModels(ctx, REVIEW_MODEL)).find((m) => m.active);
  if (!model) {
    // Decided by the keyword rules while no model was active: their stored ranking.
    const kw = keywordTop(row);
    return kw ? { source: 'Stichwortliste (noch kein trainiertes Modell)', top: kw } : null;
  }
  const t = await documentText(ctx, row);
  if (!t) return null;
  const c = await classifyText(ctx, t, REVIEW_MODEL, { explain: true });
  return { source: `Modell ${c.model.name}@${c.model.version}`, top: c.top.slice(0, 3), ...(c.why ? { why: c.why } : {}) };
}

/** Documents waiting for a person (abstained, failed validation, unreadable), oldest first; optional category filter. */
export async function listReviewQueue(ctx: AppContext, actor: Actor, f: { category?: string } = {}): Promise<ReviewQueue> {
  assertCan(actor, 'mailroom.process');
  const all = (await listDocuments(ctx.db, { status: 'review', limit: 500 })).reverse();
  const rows = f.category ? all.filter((r) => (r.category ?? '') === f.category) : all;
  const models = await listTriageModels(ctx, REVIEW_MODEL);
  const model = models.find((m) => m.active) ?? null;
  const categories = [...new Set([...(model?.categories ?? []), ...MAIL_CATEGORIES, 'Rechnungseingang', ...all.map((r) => r.category).filter((c): c is string => !!c)])].sort((a, b) => a.localeCompare(b, 'de'));
  const top3: ReviewQueue['top3'] = {};
  const why: ReviewQueue['why'] = {};
  for (const r of rows.slice(0, TOP3_ROWS)) {
    // E-mails carry the ranking of the mail triage that decided them; other documents ask the active model.
    const stored = (r.fields as { mail?: { top?: { category: string; score: number }[] } } | null)?.mail?.top;
    const kw = keywordTop(r);
    if (stored?.length) top3[r.id] = stored.slice(0, 3);
    else if (!model && kw) top3[r.id] = kw;
    else if (model) {
      const t = await documentText(ctx, r);
      if (t) {
        const c = await classifyText(ctx, t, REVIEW_MODEL, { explain: true });
        top3[r.id] = c.top.slice(0, 3);
        if (c.why) why[r.id] = c.why;
      }
    }
  }
  const mailModel = (await listTriageModels(ctx, MAIL_REVIEW_MODEL)).find((m) => m.active) ?? null;
  return { rows, categories, model, mailModel, top3, why };
}

const resolveSchema = z.object({
  documentId: z.coerce.number().int().positive(),
  category: z.string().trim().min(1, 'Bitte eine Kategorie wählen').max(100),
  department: z.string().trim().min(1, 'Bitte einen Fachbereich wählen').max(60),
});

/**
 * The clerk confirms or corrects category and department of a document in review and routes it.
 * The decision is audited; the document text becomes a training example (not for e-invoices, whose
 * category comes from rules): of the `mail` model for e-mails, of `default` for everything else.
 * Resolves with the model that got the example (null when none was stored).
 */
export async function resolveReview(
  ctx: AppContext,
  actor: Actor,
  input: z.input<typeof resolveSchema>,
): Promise<{ document: DocumentRow; trainingExample: boolean; trainingModel: string | null }> {
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
  const t = await documentText(ctx, row);
  if (!t) return { document, trainingExample: false, trainingModel: null };
  const modelName = trainingModelFor(row);
  await recordCorrection(ctx, actor, { modelName, externalId: `document:${documentId}`, subject: t.subject, text: t.text, category });
  return { document, trainingExample: true, trainingModel: modelName };
}

/**
 * Queues the retraining of both models the queue trains, `default` and `mail` (one pending job per
 * model; audited per model). Resolves true when at least one job was queued. A model with too few
 * examples is skipped by the job (see triage `retrainJob`).
 */
export async function requestRetrain(ctx: AppContext, actor: Actor): Promise<boolean> {
  assertCan(actor, 'mailroom.process');
  return ctx.db.transaction(async (tx) => {
    let queued = false;
    for (const modelName of [REVIEW_MODEL, MAIL_REVIEW_MODEL]) {
      const id = await enqueue(tx, 'mailroom.triage-retrain', { modelName }, { singletonKey: `triage-retrain:${modelName}` });
      await writeAudit(tx, { actor, action: 'triage_model.retrain_requested', objectType: 'triage_model', objectId: modelName, summary: { queued: id !== null } });
      queued ||= id !== null;
    }
    return queued;
  });
}
