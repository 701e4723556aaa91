import { AppError } from '../../../core/errors.ts';
import { sniff, decodeText } from '../documents/detect.ts';
import { LIMITS } from '../documents/limits.ts';
import { ocrImage, ocrPdf, type OcrResult } from '../documents/ocr.ts';
import { inspectPdf, pdfTextPages, useTextLayer } from '../documents/pdf.ts';
import { fieldsFromText } from './ocr-fields.ts';
import { parseCii } from './parse-cii.ts';
import { parseUbl } from './parse-ubl.ts';
import type { ExtractedInvoice, InvoiceContractJson, InvoiceJson, InvoiceModel } from './types.ts';
import { validateInvoice } from './validate.ts';
import { parseXml, type XNode } from './xml.ts';

/** Names of the embedded invoice XML in ZUGFeRD 1/2, Factur-X and XRechnung-in-PDF. */
const EMBEDDED_XML = /^(factur-x|zugferd-invoice|zugferd|xrechnung|ZUGFeRD-invoice)\.xml$/i;

/** The contract JSON of `lotse invoice extract` from the model and its validation. */
export function toInvoiceJson(m: InvoiceModel, validation = validateInvoice(m, { ocr: m.format === 'ocr' })): InvoiceJson {
  return {
    format: m.format,
    invoiceNumber: m.invoiceNumber,
    issueDate: m.issueDate,
    currency: m.currency,
    buyerReference: m.buyerReference,
    seller: { name: m.seller.name, vatId: m.seller.vatId },
    buyer: { name: m.buyer.name },
    totals: { net: m.totals.net, tax: m.totals.tax, gross: m.totals.gross, payable: m.totals.payable },
    iban: m.iban === null ? null : m.iban.replace(/\s+/g, ''),
    lineCount: m.lines.length,
    validation,
  };
}

/**
 * Parses e-invoice XML (UBL Invoice/CreditNote or UN/CEFACT CII).
 * @throws AppError('unsupported_media_type') when it is XML but no invoice.
 */
export function parseInvoiceXml(xml: string, filename: string): InvoiceModel {
  const doc = parseXml(xml, filename);
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  const root = rootName ? (doc[rootName] as XNode) : undefined;
  if (root && (rootName === 'Invoice' || rootName === 'CreditNote')) return parseUbl(root, rootName);
  if (root && rootName === 'CrossIndustryInvoice') return parseCii(root);
  if (root && rootName === 'CrossIndustryDocument') return parseCii(root, 'zugferd1');
  throw new AppError('unsupported_media_type', `${filename}: XML-Datei ist keine E-Rechnung (Wurzelelement „${rootName ?? '?'}“, erwartet UBL Invoice/CreditNote, CII CrossIndustryInvoice oder ZUGFeRD-1-CrossIndustryDocument).`);
}

export interface ReadInvoiceOptions {
  /** Allow OCR for PDFs without text layer (default true). */
  ocr?: boolean;
  /** Pre-computed OCR (the intake runs OCR as a job). */
  ocrResult?: OcrResult;
}

export interface ReadInvoiceResult extends ExtractedInvoice {
  pages: number;
  ocr: boolean;
  /** Text read from a PDF without XML (text layer or OCR). */
  text?: string;
}

/**
 * Reads an invoice from a file: XRechnung UBL/CII XML, ZUGFeRD/Factur-X PDF (embedded XML), or a
 * plain/scanned PDF (text layer, else OCR; flagged `format: "ocr"`).
 * @throws AppError('unsupported_media_type' | 'payload_too_large' | 'bad_request') naming the file and problem.
 */
export async function readInvoice(buffer: Buffer, filename: string, opts: ReadInvoiceOptions = {}): Promise<ReadInvoiceResult> {
  if (buffer.length === 0) throw new AppError('bad_request', `${filename}: Die Datei ist leer (0 Byte).`);
  if (buffer.length > LIMITS.maxFileBytes) {
    throw new AppError('payload_too_large', `${filename}: Die Datei ist ${(buffer.length / 1048576).toFixed(1)} MB groß, erlaubt sind ${LIMITS.maxFileBytes / 1048576} MB.`);
  }
  const type = sniff(buffer);
  if (type.mime === 'application/xml') {
    const decoded = decodeText(buffer);
    if (!decoded) throw new AppError('unsupported_media_type', `${filename}: Zeichenkodierung nicht lesbar.`);
    const model = parseInvoiceXml(decoded.text, filename);
    return { json: toInvoiceJson(model), model, pages: 0, ocr: false };
  }
  if (type.mime === 'image/png' || type.mime === 'image/jpeg' || type.mime === 'image/tiff') {
    // A photographed or scanned paper invoice: same limits as the intake, then OCR.
    if (!type.width || !type.height) throw new AppError('unsupported_media_type', `${filename}: Bildgröße im Dateikopf nicht lesbar.`);
    if (type.width * type.height > LIMITS.maxPixels) {
      throw new AppError('payload_too_large', `${filename}: Bild mit ${type.width} × ${type.height} Pixeln ist zu groß (höchstens ${LIMITS.maxPixels / 1e6} Megapixel).`);
    }
    if (opts.ocr === false && !opts.ocrResult) throw new AppError('unsupported_media_type', `${filename}: Bild; Texterkennung (OCR) ist ausgeschaltet.`);
    const r = opts.ocrResult ?? (await ocrImage(buffer, type.mime));
    const model = fieldsFromText(r.text);
    model.ocrConfidence = r.confidence;
    if (!model.invoiceNumber && model.totals.gross === null) {
      throw new AppError('unsupported_media_type', `${filename}: Im Bild wurde keine Rechnung erkannt (weder Rechnungsnummer noch Betrag).`);
    }
    return { json: toInvoiceJson(model), model, pages: r.pages.length, ocr: true, text: r.text };
  }
  if (type.mime !== 'application/pdf') {
    throw new AppError('unsupported_media_type', `${filename}: keine Rechnung im Format XML, PDF oder Bild (erkannt: ${type.mime}).`);
  }
  const info = await inspectPdf(buffer, filename);
  const embedded = info.attachments.find((a) => EMBEDDED_XML.test(a.filename)) ?? info.attachments.find((a) => /\.xml$/i.test(a.filename));
  if (embedded) {
    const decoded = decodeText(Buffer.from(embedded.content));
    try {
      if (decoded) {
        const model = parseInvoiceXml(decoded.text, `${filename} (${embedded.filename})`);
        model.format = 'zugferd';
        model.embeddedFile = embedded.filename;
        return { json: toInvoiceJson(model), model, pages: info.pages, ocr: false };
      }
    } catch (e) {
      // A named invoice XML that does not parse is an error; any other XML attachment is just an attachment.
      if (EMBEDDED_XML.test(embedded.filename)) throw e;
    }
  }
  let text = (await pdfTextPages(buffer, filename)).join('\n');
  let ocr = false;
  let ocrConfidence: number | null = null;
  if (!(await useTextLayer(buffer, text))) {
    if (opts.ocr === false && !opts.ocrResult) throw new AppError('unsupported_media_type', `${filename}: PDF ohne Textebene; Texterkennung (OCR) ist ausgeschaltet.`);
    const r = opts.ocrResult ?? (await ocrPdf(buffer));
    text = r.text;
    ocr = true;
    ocrConfidence = r.confidence;
  }
  const model = fieldsFromText(text);
  model.ocrConfidence = ocrConfidence;
  if (!model.invoiceNumber && model.totals.gross === null) {
    throw new AppError('unsupported_media_type', `${filename}: In der PDF-Datei wurde keine Rechnung erkannt (weder eingebettetes XML noch Rechnungsnummer und Betrag).`);
  }
  return { json: toInvoiceJson(model), model, pages: info.pages, ocr, text };
}

/**
 * The invoice JSON with the types of interfaces.md: `str` fields never null (`""` when the invoice
 * lacks them, e.g. BT-1 → BR-02 in `validation.errors`), amounts `0` when absent; `str|null` fields
 * stay null. The stored document fields keep null (the staff pages show "–").
 */
export function toContractJson(j: InvoiceJson): InvoiceContractJson {
  const n = (v: number | null): number => v ?? 0;
  return {
    format: j.format,
    invoiceNumber: j.invoiceNumber ?? '',
    issueDate: j.issueDate ?? '',
    currency: j.currency ?? '',
    buyerReference: j.buyerReference,
    seller: { name: j.seller.name ?? '', vatId: j.seller.vatId },
    buyer: { name: j.buyer.name },
    totals: { net: n(j.totals.net), tax: n(j.totals.tax), gross: n(j.totals.gross), payable: n(j.totals.payable) },
    iban: j.iban,
    lineCount: j.lineCount,
    validation: j.validation,
  };
}

/**
 * The `lotse invoice extract` JSON for a file (see shared/docs/interfaces.md and {@link toContractJson}).
 * @example const inv = await extractInvoice(readFileSync('r.xml'), 'r.xml'); inv.validation.valid
 */
export async function extractInvoice(buffer: Buffer, filename: string): Promise<InvoiceContractJson> {
  return toContractJson((await readInvoice(buffer, filename)).json);
}
