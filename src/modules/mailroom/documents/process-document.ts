import type { AppContext } from '../../../core/context.ts';
import type { Actor } from '../../../core/auth/actor.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { enqueue } from '../../../core/jobs/index.ts';
import { AppError } from '../../../core/errors.ts';
import { classifyText } from '../triage/index.ts';
import { mailDepartments, triageLetterByKeywords, triageParsedMail } from '../mail/triage-mail.ts';
import { findRelatedDocuments, messageIdKey } from '../replies/case-links.ts';
import { recordCaseKey } from '../replies/repository.ts';
import { acknowledgeInTx, planAcknowledgement, type AckPlan } from '../replies/acknowledge.ts';
import type { OcrResult } from './ocr.ts';
import { ToolError } from './run-tool.ts';
import { DocumentRejected, NeedsOcr, readDocument, type DocumentKind, type DocumentReading } from './read-document.ts';
import { findDocument, findInvoiceTwin, updateDocument } from './repository.ts';
import type { DocumentRow } from './schema.ts';
import { readOriginal } from './storage.ts';

export const INVOICE_CATEGORY = 'Rechnungseingang';
/** Invoices are accounting vouchers: kept 10 years (§ 147 AO / kommunales Haushaltsrecht, conservative). */
export const INVOICE_RETENTION_YEARS = 10;
/** OCR'd invoices are routed automatically only at or above this confidence (else review). */
export const OCR_ROUTE_CONFIDENCE = 0.85;

/** `automatic`: an auto-reply or bounce – kept, visible, but no citizen request (no category, no review). */
export type DocumentStatus = 'received' | 'processing' | 'routed' | 'review' | 'rejected' | 'duplicate' | 'automatic';

/** Registry name of a trained mail model; when none is active the mail triage uses its keyword lexicon. */
export const MAIL_MODEL_NAME = 'mail';
/** Models asked for e-mails, in order: the mail model (trained on mail corrections), else the general one. */
export const MAIL_MODEL_NAMES = [MAIL_MODEL_NAME, 'default'] as const;

/** The outcome of reading + deciding, as the CLI and the intake show it. */
export interface DocumentOutcome {
  documentId: number;
  kind: DocumentKind;
  status: DocumentStatus;
  reason: string | null;
  category: string | null;
  department: string | null;
  confidence: number;
  abstained: boolean;
  pages: number;
  ocr: boolean;
  fields: Record<string, unknown>;
  duplicateOf: number | null;
  /** E-mail attachments read in this run (not stored in the row; the intake ingests them as documents). */
  attachments?: { filename: string; content: Buffer }[];
}

function invoiceDepartment(ctx: AppContext): string | null {
  const d = ctx.town.departments.find((x) => /finanz|kasse|kämmerei/i.test(`${x.key} ${x.name}`));
  return d?.key ?? null;
}

const normKey = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9ÄÖÜ]/g, '');

/** `<number>|<seller VAT id or name>`, for duplicate detection across files. */
export function invoiceKey(r: DocumentReading): string | null {
  const inv = r.invoice?.json;
  if (!inv?.invoiceNumber) return null;
  const seller = inv.seller.vatId ?? inv.seller.name;
  if (!seller) return null;
  return `${normKey(inv.invoiceNumber)}|${normKey(seller)}`;
}

const addYears = (d: Date, n: number): Date => {
  const x = new Date(d);
  x.setUTCFullYear(x.getUTCFullYear() + n);
  return x;
};

const CONTRACT_KEYS = ['format', 'invoiceNumber', 'issueDate', 'currency', 'buyerReference', 'seller', 'buyer', 'totals', 'iban', 'lineCount', 'validation'];
/** jsonb sorts keys; give the invoice back in the order of the interfaces document. */
const contractOrder = (inv: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of CONTRACT_KEYS) if (k in inv) out[k] = inv[k];
  for (const k of Object.keys(inv)) if (!(k in out)) out[k] = inv[k];
  const t = out.totals as Record<string, unknown> | undefined;
  if (t) out.totals = { net: t.net, tax: t.tax, gross: t.gross, payable: t.payable };
  const s = out.seller as Record<string, unknown> | undefined;
  if (s) out.seller = { name: s.name, vatId: s.vatId };
  return out;
};

export function outcomeOf(row: DocumentRow): DocumentOutcome {
  const fields = (row.fields ?? {}) as Record<string, unknown>;
  return {
    documentId: row.id,
    kind: row.kind as DocumentKind,
    status: row.status as DocumentStatus,
    reason: row.reason,
    category: row.category,
    department: row.department,
    confidence: row.confidence ?? 0,
    abstained: row.status !== 'routed',
    pages: row.pages,
    ocr: row.ocr,
    fields: fields.invoice ? contractOrder(fields.invoice as Record<string, unknown>) : ((fields.identifiers as Record<string, unknown>) ?? {}),
    duplicateOf: row.duplicateOf ?? null,
  };
}

/** Decides category, confidence and status for an invoice reading. */
function decideInvoice(ctx: AppContext, r: DocumentReading): { status: DocumentStatus; reason: string | null; confidence: number } {
  const inv = r.invoice!.json;
  const v = inv.validation;
  const rules = v.errors.map((e) => e.rule).join(', ');
  if (inv.format !== 'ocr') {
    return v.valid ? { status: 'routed', reason: null, confidence: 0.99 } : { status: 'review', reason: `E-Rechnung verletzt Prüfregeln: ${rules}.`, confidence: 0.5 };
  }
  const found = [inv.invoiceNumber, inv.issueDate, inv.totals.gross].filter((x) => x !== null).length / 3;
  const confidence = Math.round((r.ocr ? (r.ocrConfidence ?? 0) : 0.98) * found * 1000) / 1000;
  if (!v.valid) return { status: 'review', reason: `Rechnung ohne E-Rechnungsdaten (${r.ocr ? 'OCR' : 'PDF-Text'}); Prüfregeln verletzt: ${rules}.`, confidence };
  if (found < 1 || confidence < OCR_ROUTE_CONFIDENCE) {
    return { status: 'review', reason: `Rechnung ohne E-Rechnungsdaten (${r.ocr ? 'OCR' : 'PDF-Text'}); Felder unsicher (Konfidenz ${confidence.toFixed(2)}).`, confidence };
  }
  void ctx;
  return { status: 'routed', reason: null, confidence };
}

/**
 * Reads a stored document and records the result: invoice fields and validation, category via the
 * triage model for other documents, duplicate check on invoice number + seller. With `ocr: 'job'`
 * a document that needs OCR is set to `processing` and a `documents.ocr` job is queued.
 */
export async function processDocument(ctx: AppContext, actor: Actor, id: number, opts: { ocr?: 'now' | 'job'; ocrResult?: OcrResult; fromJob?: boolean } = {}): Promise<DocumentOutcome> {
  const row = await findDocument(ctx.db, id);
  if (!row) throw new AppError('not_found', `Dokument ${id} nicht gefunden.`);
  const buffer = await readOriginal(ctx, row.storagePath);
  let reading: DocumentReading;
  try {
    reading = await readDocument(buffer, row.originalFilename, { ocr: opts.ocr === 'job' ? 'defer' : 'now', ocrResult: opts.ocrResult });
  } catch (e) {
    if (e instanceof NeedsOcr) {
      const updated = await ctx.db.transaction(async (tx) => {
        const u = await updateDocument(tx, id, { status: 'processing', kind: e.kind, pages: e.pages, reason: 'Texterkennung (OCR) läuft.' });
        await enqueue(tx, 'documents.ocr', { documentId: id }, { singletonKey: `documents.ocr:${id}`, maxAttempts: 3 });
        await writeAudit(tx, { actor, action: 'document.ocr_queued', objectType: 'document', objectId: String(id), summary: { kind: e.kind, pages: e.pages } });
        return u;
      });
      return outcomeOf(updated);
    }
    if (e instanceof DocumentRejected) {
      const updated = await ctx.db.transaction(async (tx) => {
        const u = await updateDocument(tx, id, { status: 'rejected', kind: e.kind, reason: e.message.replace(`${row.originalFilename}: `, ''), confidence: 0 });
        await writeAudit(tx, { actor, action: 'document.reject', objectType: 'document', objectId: String(id), summary: { kind: e.kind, mime: e.mime } });
        return u;
      });
      return outcomeOf(updated);
    }
    if (e instanceof ToolError) {
      // A missing tool is an installation problem: let a job retry later; the CLI records it for review.
      if (e.reason === 'missing' && opts.fromJob) throw e;
      const reason =
        e.reason === 'missing'
          ? `Texterkennung nicht verfügbar (${e.tool} fehlt): Prüfung durch Sachbearbeitung.`
          : e.reason === 'timeout'
            ? `Verarbeitung nach Zeitlimit abgebrochen (${e.tool}); Datei bitte prüfen.`
            : `Datei ließ sich nicht verarbeiten (${e.tool}).`;
      const status: DocumentStatus = e.reason === 'missing' ? 'review' : 'rejected';
      const updated = await ctx.db.transaction(async (tx) => {
        const u = await updateDocument(tx, id, { status, reason, confidence: 0 });
        await writeAudit(tx, { actor, action: status === 'review' ? 'document.process' : 'document.reject', objectType: 'document', objectId: String(id), summary: { tool: e.tool, problem: e.reason } });
        return u;
      });
      return outcomeOf(updated);
    }
    throw e;
  }

  let status: DocumentStatus;
  let reason: string | null;
  let category: string | null = null;
  let department: string | null = null;
  let confidence = 0;
  let key: string | null = null;
  let duplicateOf: number | null = null;
  let messageId: string | null = null;
  let ack: AckPlan | null = null;
  const versions = [...reading.versions];
  let fields: Record<string, unknown>;

  if (reading.invoice) {
    category = INVOICE_CATEGORY;
    department = invoiceDepartment(ctx);
    ({ status, reason, confidence } = decideInvoice(ctx, reading));
    fields = { invoice: reading.invoice.json, model: reading.invoice.model };
    key = invoiceKey(reading);
    if (key) {
      const twin = await findInvoiceTwin(ctx.db, key, id);
      if (twin) {
        const broken = reading.invoice.json.validation.errors.map((e) => e.rule);
        status = 'duplicate';
        duplicateOf = twin.id;
        // Both problems are shown: a duplicate that also breaks rules must not hide the broken rules.
        reason =
          `Rechnung Nr. ${reading.invoice.json.invoiceNumber} dieses Verkäufers ist bereits als Dokument ${twin.id} eingegangen.` +
          (broken.length ? ` Außerdem verletzt sie Prüfregeln: ${[...new Set(broken)].join(', ')}.` : '');
      }
    }
  } else if (reading.mail) {
    // E-mails: the mail triage (auto-reply/bounce, rules for invoices/Kassenzeichen/phishing, model or keywords).
    const m = await triageParsedMail(ctx, reading.mail, { modelName: MAIL_MODEL_NAMES });
    versions.push(m.decidedBy.startsWith('model:') ? `triage:${m.decidedBy.slice(6)}` : `${m.rulesVersion} (${m.decidedBy})`);
    category = m.category;
    department = m.department;
    confidence = m.confidence;
    const related = await findRelatedDocuments(ctx, { messageIds: [reading.mail.inReplyTo ?? '', ...reading.mail.references], tickets: m.references.ticket, aktenzeichen: m.references.aktenzeichen }, id);
    messageId = reading.mail.messageId;
    fields = {
      identifiers: reading.identifiers ?? {},
      subject: reading.subject,
      mail: {
        from: m.from,
        isReply: m.isReply,
        isAutoReply: m.isAutoReply,
        isBounce: m.isBounce,
        decidedBy: m.decidedBy,
        rulesVersion: m.rulesVersion,
        top: m.top.slice(0, 3),
        references: m.references,
      },
      ...(related.length ? { relatedDocuments: related } : {}),
    };
    // Graded: many undecodable characters → review; a few → decided as usual, but the reason says so.
    const unreadable = reading.mail.unreadableChars;
    const garbled = unreadable >= 5 && unreadable >= 0.02 * (reading.mail.subject.length + reading.mail.text.length);
    if (unreadable > 0) (fields.mail as Record<string, unknown>).unreadableChars = unreadable;
    if (reading.mail.charsetRepaired) (fields.mail as Record<string, unknown>).charsetRepaired = true;
    const charsetNote =
      unreadable > 0 && !garbled ? ` Zeichensatz: ${unreadable} Zeichen der Nachricht nicht lesbar (unbekannte oder falsche Zeichensatz-Angabe); der übrige Text ist lesbar.` : '';
    if (m.isBounce || m.isAutoReply) {
      status = 'automatic';
      reason = m.isBounce ? 'Unzustellbar-Meldung eines Mailservers – keine Bürgeranfrage.' : 'Automatische Antwort (z. B. Abwesenheitsnotiz) – keine Bürgeranfrage.';
    } else if (garbled) {
      // An unknown or wrong charset: whatever the triage made of the garbled text is not to be trusted.
      status = 'review';
      reason = `Zeichensatz nicht lesbar: ${unreadable} Zeichen der Nachricht konnten nicht entschlüsselt werden (unbekannte oder falsche Zeichensatz-Angabe). Prüfung durch Sachbearbeitung; das Original ist gespeichert.`;
    } else if (m.abstained || !m.category) {
      status = 'review';
      reason = `Zuordnung unsicher (Konfidenz ${m.confidence.toFixed(2)}): Prüfung durch Sachbearbeitung.${charsetNote}`;
    } else {
      status = 'routed';
      reason = charsetNote ? charsetNote.trim() : null;
    }
    if (status === 'routed') ack = await planAcknowledgement(ctx, { id, createdAt: row.createdAt }, reading.mail, { department, relatedIds: related.map((r) => r.documentId) });
  } else {
    // A letter quoting the town's Aktenzeichen or a Vorgangsnummer attaches to that case too.
    const list = (k: string): string[] => {
      const v = reading.identifiers?.[k];
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    };
    const related = await findRelatedDocuments(ctx, { messageIds: [], tickets: list('ticket'), aktenzeichen: list('aktenzeichen') }, id);
    fields = { identifiers: reading.identifiers ?? {}, subject: reading.subject, ...(related.length ? { relatedDocuments: related } : {}) };
    if (reading.text.trim().length < 20) {
      status = 'review';
      reason = 'Kein lesbarer Text gefunden.';
    } else {
      try {
        const c = await classifyText(ctx, { subject: reading.subject, text: reading.text.slice(0, 20_000) });
        versions.push(`triage:${c.model.name}@${c.model.version}`);
        confidence = c.confidence;
        category = c.category;
        status = c.abstained || !c.category ? 'review' : 'routed';
        // Same category → department mapping as e-mails (settings `mailroom.mailDepartments` + defaults).
        if (status === 'routed' && c.category) department = (await mailDepartments(ctx))[c.category] ?? null;
        reason = status === 'review' ? `Klassifikation unsicher (Konfidenz ${c.confidence.toFixed(2)}): Prüfung durch Sachbearbeitung.` : null;
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'not_found') throw e;
        // Fresh install (no trained `default` model yet): the same keyword rules as e-mails, abstaining when unsure.
        const k = await triageLetterByKeywords(ctx, { subject: reading.subject, text: reading.text.slice(0, 20_000), identifiers: { aktenzeichen: list('aktenzeichen'), kassenzeichen: list('kassenzeichen') } });
        versions.push(`${k.rulesVersion} (${k.decidedBy.startsWith('rule:') ? k.decidedBy.slice(5) : k.decidedBy})`);
        confidence = k.confidence;
        category = k.category;
        department = k.department;
        fields.triage = { decidedBy: k.decidedBy, rulesVersion: k.rulesVersion, top: k.top.slice(0, 3) };
        status = k.abstained || !k.category ? 'review' : 'routed';
        reason =
          status === 'review'
            ? `Noch kein trainiertes Modell für Briefe und Scans; die Stichwortliste ist unsicher (Konfidenz ${k.confidence.toFixed(2)}${k.top[0] ? `, am ehesten ${k.top[0].category}` : ', keine Stichwörter gefunden'}): Zuordnung durch Sachbearbeitung (jede Zuordnung wird ein Trainingsbeispiel).`
            : null;
      }
    }
  }

  const updated = await ctx.db.transaction(async (tx) => {
    const u = await updateDocument(tx, id, {
      kind: reading.kind,
      mime: reading.mime,
      status,
      reason,
      pages: reading.pages,
      ocr: reading.ocr,
      fields,
      category,
      department,
      confidence,
      modelVersion: versions.join('; ') || null,
      invoiceKey: key,
      duplicateOf,
      retentionUntil: reading.invoice ? addYears(row.createdAt, INVOICE_RETENTION_YEARS) : null,
    });
    await writeAudit(tx, {
      actor,
      action: 'document.process',
      objectType: 'document',
      objectId: String(id),
      summary: { kind: reading.kind, status, category, confidence, ocr: reading.ocr, versions },
    });
    if (messageId) await recordCaseKey(tx, { key: messageIdKey(messageId), documentId: id, kind: 'in' });
    if (ack) await acknowledgeInTx(ctx, tx, actor, ack);
    return u;
  });
  return { ...outcomeOf(updated), attachments: reading.attachments };
}
