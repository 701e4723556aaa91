import type { AppContext } from '../../../core/context.ts';
import { systemActor } from '../../../core/auth/actor.ts';
import type { JobHandler } from '../../../core/module.ts';
import { processDocument } from './process-document.ts';

/**
 * `documents.ocr` {documentId}: reads a stored scan or image with OCR and records the result.
 * The worker runs jobs concurrently; tesseract processes are capped at the core count (ocr.ts).
 */
export const documentJobs: Record<string, JobHandler> = {
  'documents.ocr': async (ctx: AppContext, payload) => {
    const id = Number(payload.documentId);
    if (!Number.isInteger(id) || id <= 0) return;
    await processDocument(ctx, systemActor('documents.ocr'), id, { ocr: 'now', fromJob: true });
  },
};
