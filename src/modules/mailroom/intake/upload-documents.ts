import type { AppContext } from '../../../core/context.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { AppError } from '../../../core/errors.ts';
import { ingestDocument } from '../documents/ingest-document.ts';

/** Files per upload request. */
export const MAX_UPLOAD_FILES = 50;

export interface UploadedFileResult {
  filename: string;
  documentId: number | null;
  status: string;
  reason: string | null;
  category: string | null;
  department: string | null;
}

/**
 * Staff upload of one or many files: each is ingested (source `upload`, OCR as a job); a bad file
 * gets status `rejected` with its reason and never stops the others.
 */
export async function uploadDocuments(ctx: AppContext, actor: Actor, files: { filename: string; buffer: Buffer }[]): Promise<UploadedFileResult[]> {
  assertCan(actor, 'mailroom.process');
  if (!files.length) throw new AppError('validation', 'Bitte mindestens eine Datei auswählen.', { field: 'files' });
  if (files.length > MAX_UPLOAD_FILES) throw new AppError('validation', `Höchstens ${MAX_UPLOAD_FILES} Dateien auf einmal.`, { field: 'files' });
  const out: UploadedFileResult[] = [];
  for (const f of files) {
    try {
      const r = await ingestDocument(ctx, actor, { buffer: f.buffer, filename: f.filename || 'upload', source: 'upload' }, { ocr: 'job' });
      out.push({ filename: f.filename, documentId: r.sameFile && r.duplicateOf ? r.duplicateOf : r.documentId, status: r.status, reason: r.reason, category: r.category, department: r.department });
    } catch (err) {
      if (err instanceof AppError && err.code === 'forbidden') throw err;
      out.push({ filename: f.filename, documentId: null, status: 'rejected', reason: err instanceof Error ? err.message : 'Unbekannter Fehler', category: null, department: null });
    }
  }
  return out;
}
