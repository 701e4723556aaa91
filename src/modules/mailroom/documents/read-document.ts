import { AppError } from '../../../core/errors.ts';
import { extractIdentifiers } from '../../../text/identifiers.ts';
import { looksLikeInvoice, fieldsFromText } from '../invoices/ocr-fields.ts';
import { readInvoice, toInvoiceJson } from '../invoices/extract-invoice.ts';
import type { InvoiceJson, InvoiceModel } from '../invoices/types.ts';
import { INVOICE_RULES_VERSION } from '../invoices/validate.ts';
import { OCR_FIELDS_VERSION } from '../invoices/ocr-fields.ts';
import { parseMail, type ParsedMessage } from '../mail/index.ts';
import { decodeText, sniff } from './detect.ts';
import { LIMITS } from './limits.ts';
import { OCR_ENGINE, ocrImage, ocrPdf, type OcrResult } from './ocr.ts';
import { inspectPdf, pdfTextPages, useTextLayer } from './pdf.ts';

export type DocumentKind = 'xrechnung-ubl' | 'xrechnung-cii' | 'zugferd' | 'pdf' | 'scan' | 'image' | 'email' | 'unknown';

/** What Lotse read from one file, before classification and storage. */
export interface DocumentReading {
  kind: DocumentKind;
  mime: string;
  pages: number;
  ocr: boolean;
  /** Plain text (text layer, OCR or mail body), for classification. */
  text: string;
  subject: string | null;
  /** Invoice, when the document is one. */
  invoice: { json: InvoiceJson; model: InvoiceModel } | null;
  /** Identifiers found in the text (Aktenzeichen, IBAN, …), for non-invoices. */
  identifiers: Record<string, unknown> | null;
  ocrConfidence: number | null;
  /** Rule/engine versions that produced this reading. */
  versions: string[];
  /** E-mail attachments (processed as documents of their own by the intake). */
  attachments?: { filename: string; content: Buffer }[];
  /** The parsed message, for e-mails (mail triage: rules, auto-reply/bounce, references). */
  mail?: ParsedMessage;
}

/** A file that cannot be read: kind as far as known, and a German reason naming the problem. */
export class DocumentRejected extends Error {
  constructor(
    readonly kind: DocumentKind,
    readonly mime: string,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentRejected';
  }
}

export interface ReadOptions {
  /** Run OCR now (CLI) or stop before OCR and report `needsOcr` (intake, OCR runs as a job). */
  ocr?: 'now' | 'defer';
  /** Pre-computed OCR result from the job. */
  ocrResult?: OcrResult;
}

/** Raised with `ocr: 'defer'` when the document needs OCR; the caller queues the job. */
export class NeedsOcr extends Error {
  constructor(
    readonly kind: DocumentKind,
    readonly mime: string,
    readonly pages: number,
  ) {
    super('OCR nötig');
    this.name = 'NeedsOcr';
  }
}

const reject = (kind: DocumentKind, mime: string, msg: string): never => {
  throw new DocumentRejected(kind, mime, msg);
};

function invoiceReading(kind: DocumentKind, mime: string, r: Awaited<ReturnType<typeof readInvoice>>, text = ''): DocumentReading {
  return {
    kind,
    mime,
    pages: r.pages,
    ocr: r.ocr,
    text: r.text ?? text,
    subject: null,
    invoice: { json: r.json, model: r.model },
    identifiers: null,
    ocrConfidence: r.model.ocrConfidence ?? null,
    versions: [INVOICE_RULES_VERSION, ...(r.model.format === 'ocr' ? [OCR_FIELDS_VERSION] : []), ...(r.ocr ? [OCR_ENGINE] : [])],
  };
}

function textReading(kind: DocumentKind, mime: string, text: string, pages: number, ocr: OcrResult | null, subject: string | null = null): DocumentReading {
  if (looksLikeInvoice(text)) {
    const model = fieldsFromText(text);
    if (model.invoiceNumber || model.totals.gross !== null) {
      model.ocrConfidence = ocr?.confidence ?? null;
      return {
        kind,
        mime,
        pages,
        ocr: !!ocr,
        text,
        subject,
        invoice: { json: toInvoiceJson(model), model },
        identifiers: null,
        ocrConfidence: ocr?.confidence ?? null,
        versions: [INVOICE_RULES_VERSION, OCR_FIELDS_VERSION, ...(ocr ? [OCR_ENGINE] : [])],
      };
    }
  }
  const ids = extractIdentifiers(text.slice(0, 200_000));
  return { kind, mime, pages, ocr: !!ocr, text, subject, invoice: null, identifiers: ids as unknown as Record<string, unknown>, ocrConfidence: ocr?.confidence ?? null, versions: ocr ? [OCR_ENGINE] : [] };
}

/** An e-mail via the mailroom's MIME parser (charsets, encoded words, HTML-only mail); attachments listed for the intake. */
async function mailReading(buffer: Buffer, mime: string): Promise<DocumentReading> {
  const mail = await parseMail(buffer);
  const r = textReading('email', mime, mail.ownText || mail.text, 0, null, mail.subject || null);
  // Identifiers as the mail triage finds them: subject and the whole body including quoted text
  // (a reply quotes the town's Aktenzeichen), not only the citizen's own words used for classifying.
  if (!r.invoice) r.identifiers = mail.identifiers as unknown as Record<string, unknown>;
  r.attachments = mail.attachments.map((a) => ({ filename: a.filename ?? 'anhang', content: a.content }));
  r.mail = mail;
  return r;
}

/**
 * Reads one incoming file: detects its type by magic bytes, applies the limits (size, pages,
 * pixels) before decoding, reads e-invoices, PDF text layers, scans and images (OCR) and e-mails.
 * @throws DocumentRejected with a German reason for empty, oversized, encrypted, corrupt or unsupported files.
 * @throws NeedsOcr when `ocr: 'defer'` and the document needs OCR.
 */
export async function readDocument(buffer: Buffer, filename: string, opts: ReadOptions = {}): Promise<DocumentReading> {
  if (buffer.length === 0) reject('unknown', 'application/octet-stream', `${filename}: Die Datei ist leer (0 Byte).`);
  if (buffer.length > LIMITS.maxFileBytes) {
    reject('unknown', 'application/octet-stream', `${filename}: Die Datei ist ${(buffer.length / 1048576).toFixed(1)} MB groß; erlaubt sind höchstens ${LIMITS.maxFileBytes / 1048576} MB.`);
  }
  const type = sniff(buffer);
  const mime = type.mime;
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  try {
    switch (type.mime) {
      case 'application/xml': {
        const r = await readInvoice(buffer, filename);
        return invoiceReading(r.model.format === 'cii' ? 'xrechnung-cii' : 'xrechnung-ubl', mime, r);
      }
      case 'application/pdf': {
        const info = await inspectPdf(buffer, filename);
        if (info.attachments.some((a) => /\.xml$/i.test(a.filename))) {
          try {
            const r = await readInvoice(buffer, filename, { ocr: false });
            if (r.model.format === 'zugferd') return invoiceReading('zugferd', mime, r);
          } catch (e) {
            // An XML attachment that is no invoice: read the PDF as a document.
            if (!(e instanceof AppError) || !/^(unsupported_media_type|bad_request)$/.test(e.code) || info.attachments.some((a) => /^(factur-x|zugferd-invoice|zugferd|xrechnung)\.xml$/i.test(a.filename))) throw e;
          }
        }
        const text = (await pdfTextPages(buffer, filename)).join('\n');
        if (await useTextLayer(buffer, text)) return textReading('pdf', mime, text, info.pages, null);
        if (opts.ocrResult) return textReading('scan', mime, opts.ocrResult.text, info.pages, opts.ocrResult);
        if (opts.ocr === 'defer') throw new NeedsOcr('scan', mime, info.pages);
        const ocr = await ocrPdf(buffer);
        return textReading('scan', mime, ocr.text, info.pages, ocr);
      }
      case 'image/png':
      case 'image/jpeg':
      case 'image/tiff': {
        if (!type.width || !type.height) reject('image', mime, `${filename}: Bildgröße im Dateikopf nicht lesbar (Datei beschädigt?).`);
        const pixels = type.width! * type.height!;
        if (pixels > LIMITS.maxPixels) {
          reject('image', mime, `${filename}: Bild mit ${type.width} × ${type.height} Pixeln (${Math.round(pixels / 1e6)} Megapixel) ist zu groß; erlaubt sind ${LIMITS.maxPixels / 1e6} Megapixel.`);
        }
        if (type.pages > LIMITS.maxPages) reject('image', mime, `${filename}: TIFF mit mehr als ${LIMITS.maxPages} Seiten.`);
        if (opts.ocrResult) return textReading('image', mime, opts.ocrResult.text, type.pages, opts.ocrResult);
        if (opts.ocr === 'defer') throw new NeedsOcr('image', mime, type.pages);
        const ocr = await ocrImage(buffer, mime);
        return textReading('image', mime, ocr.text, ocr.pages.length, ocr);
      }
      case 'message/rfc822':
        return await mailReading(buffer, mime);
      case 'text/plain': {
        const decoded = decodeText(buffer);
        if (['pdf', 'png', 'jpg', 'jpeg', 'tif', 'tiff', 'xml'].includes(ext)) {
          reject('unknown', mime, `${filename}: Die Endung „.${ext}“ passt nicht zum Inhalt (erkannt: Text, ${mime}).`);
        }
        if (!decoded) reject('unknown', mime, `${filename}: Zeichenkodierung nicht erkannt (weder UTF-8 noch Windows-1252).`);
        if (ext === 'eml') return await mailReading(buffer, 'message/rfc822');
        return textReading('unknown', mime, decoded!.text, 0, null);
      }
      case 'application/zip':
      case 'application/gzip':
        return reject('unknown', mime, `${filename}: Archive (${mime}) werden nicht entpackt; bitte die enthaltenen Dateien einzeln einreichen.`);
      default: {
        const claimed = ['pdf', 'xml', 'png', 'jpg', 'jpeg', 'tif', 'tiff', 'eml'].includes(ext) ? ` – die Endung „.${ext}“ passt nicht zum Inhalt` : '';
        return reject('unknown', mime, `${filename}: Dateityp ${mime} wird nicht unterstützt${claimed}.`);
      }
    }
  } catch (e) {
    if (e instanceof DocumentRejected || e instanceof NeedsOcr) throw e;
    if (e instanceof AppError) {
      const kind: DocumentKind = mime === 'application/pdf' ? 'pdf' : mime.startsWith('image/') ? 'image' : 'unknown';
      throw new DocumentRejected(kind, mime, e.message.startsWith(filename) ? e.message : `${filename}: ${e.message}`);
    }
    throw e;
  }
}
