import type { LotseModule } from '../../core/module.ts';
import { documentJobs } from './documents/jobs.ts';
import { triageJobs } from './triage/jobs.ts';

/**
 * Mailroom: document intake, reading (PDF text layer, OCR), e-invoices, triage and routing.
 * This file is the module's only public entry; other modules import from here.
 * Sub-areas add their exports below (one line each).
 */
export const module: LotseModule = {
  name: 'mailroom',
  jobs: { ...documentJobs, ...triageJobs },
};

// E-invoices and document reading (invoices/, documents/)
export { extractInvoice, readInvoice, parseInvoiceXml, toInvoiceJson } from './invoices/extract-invoice.ts';
export type { InvoiceJson, InvoiceModel, ValidationError, InvoiceValidation } from './invoices/types.ts';
export { validateInvoice, INVOICE_RULES_VERSION } from './invoices/validate.ts';
export { checkLeitwegId, isValidIban } from './invoices/check-digits.ts';
export { ingestDocument, type IngestResult } from './documents/ingest-document.ts';
export { processDocument, type DocumentOutcome, type DocumentStatus } from './documents/process-document.ts';
export { readDocument, DocumentRejected, type DocumentReading, type DocumentKind } from './documents/read-document.ts';
export { listDocuments, findDocument, countByStatus } from './documents/repository.ts';
export { documents, type DocumentRow } from './documents/schema.ts';
export { LIMITS as DOCUMENT_LIMITS } from './documents/limits.ts';

// Triage: text classification with abstention, model registry (triage/)
export * from './triage/index.ts';

// E-mail parsing and triage (mail/)
export * from './mail/index.ts';
