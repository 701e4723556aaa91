import type { AppContext } from '../../../core/context.ts';
import { systemActor } from '../../../core/auth/actor.ts';
import { AppError } from '../../../core/errors.ts';
import type { JobHandler } from '../../../core/module.ts';
import { processDocument } from './process-document.ts';

/**
 * `documents.ocr` {documentId}: reads a stored scan or image with OCR and records the result.
 * The worker runs jobs concurrently; tesseract processes are capped at the core count (ocr.ts).
 * A missing OCR tool throws (the worker retries later); a deleted document ends the job quietly.
 */
export const documentJobs: Record<string, JobHandler> = {
  'documents.ocr': async (ctx: AppContext, payload) => {
    const id = Number(payload.documentId);
    if (!Number.isInteger(id) || id <= 0) return;
    try {
      await processDocument(ctx, systemActor('documents.ocr'), id, { ocr: 'now', fromJob: true });
    } catch (e) {
      if (e instanceof AppError && e.code === 'not_found') return;
      throw e;
    }
  },
};
