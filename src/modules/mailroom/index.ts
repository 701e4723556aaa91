import type { LotseModule } from '../../core/module.ts';
import { documentJobs } from './documents/jobs.ts';
import { documentRoutes } from './documents/routes.tsx';
import { intakeRoutes } from './routes.tsx';
import { triageJobs } from './triage/jobs.ts';
import { intakeJobs, intakeRecurring } from './intake/jobs.ts';
import { imapIdleServices } from './intake/imap-idle.ts';
import { TRIAGE_AI_SYSTEMS } from './triage/ai-systems.ts';
import { mailroomPrivacy } from './privacy.ts';

/**
 * Mailroom: document intake, reading (PDF text layer, OCR), e-invoices, triage and routing.
 * This file is the module's only public entry; other modules import from here.
 * Sub-areas add their exports below (one line each).
 */
export const module: LotseModule = {
  name: 'mailroom',
  privacy: mailroomPrivacy,
  jobs: { ...documentJobs, ...triageJobs, ...intakeJobs },
  recurring: intakeRecurring,
  services: imapIdleServices,
  routes: (app, api, ctx) => {
    documentRoutes(app, api, ctx);
    intakeRoutes(app, api, ctx);
  },
  nav: { staff: [{ href: '/verwaltung/posteingang', label: 'Posteingang', permission: 'mailroom.process' }, { href: '/verwaltung/posteingang/pruefen', label: 'Prüfwarteschlange', permission: 'mailroom.process' }] },
  aiSystems: [
    {
      id: 'mailroom-documents',
      name: 'Posteingang: Dokumente und E-Rechnungen lesen',
      purpose: 'Liest E-Rechnungen (XRechnung, ZUGFeRD) und gescannte Dokumente, prüft Rechnungen nach EN 16931 und ordnet sie zu; Unsicheres geht in die Prüfwarteschlange.',
      technique: 'Regeln (EN 16931/XRechnung, Prüfziffern) und Texterkennung mit Tesseract (ohne LLM)',
      humanOversight: 'Unsichere, ungültige und doppelte Eingänge prüft die Sachbearbeitung; die Originaldatei bleibt immer erhalten.',
    },
    ...TRIAGE_AI_SYSTEMS,
  ],
};

// E-invoices and document reading (invoices/, documents/)
export { extractInvoice, readInvoice, parseInvoiceXml, toInvoiceJson } from './invoices/extract-invoice.ts';
export type { InvoiceJson, InvoiceModel, ValidationError, InvoiceValidation } from './invoices/types.ts';
export { validateInvoice, INVOICE_RULES_VERSION } from './invoices/validate.ts';
export { checkLeitwegId, isValidIban } from '../../text/check-digits.ts';
export { ingestDocument, type IngestResult } from './documents/ingest-document.ts';
export { processDocument, type DocumentOutcome, type DocumentStatus } from './documents/process-document.ts';
export { readDocument, DocumentRejected, type DocumentReading, type DocumentKind } from './documents/read-document.ts';
export { listDocuments, findDocument, countByStatus } from './documents/repository.ts';
export { documents, type DocumentRow } from './documents/schema.ts';
export { LIMITS as DOCUMENT_LIMITS } from './documents/limits.ts';
export { listInbox, getDocument, openOriginal, DOCUMENT_STATUSES } from './documents/list-inbox.ts';
export { InvoiceView, renderInvoiceView } from './invoices/invoice-view.tsx';
export { DocumentStatusBadge, STATUS_LABELS as DOCUMENT_STATUS_LABELS, KIND_LABELS as DOCUMENT_KIND_LABELS } from './documents/routes.tsx';

// Triage: text classification with abstention, model registry (triage/)
export * from './triage/index.ts';

// E-mail parsing and triage (mail/)
export * from './mail/index.ts';

// Intake channels (IMAP, watched folder, upload) and retention (intake/)
export * from './intake/index.ts';

// Replies, acknowledgements and case linking (review/reply.ts, replies/)
export { draftReply, sendReply, mailToQuestion, AI_DISCLOSURE, type ReplyDraft } from './review/reply.ts';
export { getAckSettings, setAckSettings, ackBlocker, ACK_DISCLOSURE, ACK_SETTING, type AckSettings } from './replies/acknowledge.ts';
export { findRelatedDocuments, caseNumberOf, type RelatedDocument } from './replies/case-links.ts';
