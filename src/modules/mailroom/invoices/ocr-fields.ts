import { checkLeitwegId, isValidIban, normalizeIban } from '../../../text/check-digits.ts';
import { emptyModel, type InvoiceModel } from './types.ts';

/** Version of the text heuristics; stored with every OCR result. */
export const OCR_FIELDS_VERSION = 'lotse-invoice-ocr-fields-1';

const AMOUNT = /(?<![\d,.])-?\d{1,3}(?:[.\s’']\d{3})*,\d{2}(?![\d,])|(?<![\d,.])-?\d+,\d{2}(?![\d,])|(?<![\d,.])-?\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.])/g;

/** "1.234,56" / "1234,56" / "1,234.56" → 1234.56 */
export function parseAmount(s: string): number | null {
  const t = s.replace(/[\s’']/g, '');
  let v: number;
  if (/,\d{2}$/.test(t)) v = Number(t.replace(/\./g, '').replace(',', '.'));
  else v = Number(t.replace(/,/g, ''));
  return Number.isFinite(v) ? v : null;
}

const amountsIn = (line: string): number[] => [...line.matchAll(AMOUNT)].map((m) => parseAmount(m[0])).filter((v): v is number => v !== null);

const MONTHS: Record<string, number> = { januar: 1, jan: 1, februar: 2, feb: 2, märz: 3, maerz: 3, mär: 3, april: 4, apr: 4, mai: 5, juni: 6, jun: 6, juli: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, oktober: 10, okt: 10, november: 11, nov: 11, dezember: 12, dez: 12 };
const DATE = /(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?!\d)|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)|(?<!\d)(\d{1,2})\.\s?(Januar|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+(\d{4})/gi;

/** First valid date in a string as YYYY-MM-DD. */
export function findDate(s: string): string | null {
  for (const m of s.matchAll(DATE)) {
    let y: number, mo: number, d: number;
    if (m[1]) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3]!.length === 2 ? `20${m[3]}` : m[3])];
    else if (m[4]) [y, mo, d] = [Number(m[4]), Number(m[5]), Number(m[6])];
    else [d, mo, y] = [Number(m[7]), MONTHS[m[8]!.toLowerCase()] ?? 0, Number(m[9])];
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (y >= 1990 && y <= 2100 && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d) {
      return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    }
  }
  return null;
}

/** The last amount on the first line matching one of the labels (in priority order). */
function labelledAmount(lines: string[], labels: RegExp[], opts: { nextLine?: boolean } = {}): number | null {
  for (const label of labels) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const m = label.exec(line);
      if (!m) continue;
      const after = line.slice(m.index + m[0].length);
      const vals = amountsIn(after);
      if (vals.length) return vals[vals.length - 1]!;
      if (opts.nextLine && i + 1 < lines.length) {
        const next = amountsIn(lines[i + 1]!);
        if (next.length === 1) return next[0]!;
      }
    }
  }
  return null;
}

const INVOICE_NO = [
  /Rechnungs?[\s-]?(?:nummer|nr\.?|no\.?)\s*[:.]?\s*([A-Z0-9][A-Z0-9\-/._]{1,30})/i,
  /Rechnung\s*(?:\(\d{3}\)\s*)?(?:Nr\.?|Nummer|No\.?)\s*[:.]?\s*([A-Z0-9][A-Z0-9\-/._]{1,30})/i,
  /\bBeleg(?:nummer|-?nr\.?)\s*[:.]?\s*([A-Z0-9][A-Z0-9\-/._]{1,30})/i,
  /\bInvoice\s*(?:No\.?|Number|#)\s*[:.]?\s*([A-Z0-9][A-Z0-9\-/._]{1,30})/i,
];

const LEGAL_FORM = /\b(GmbH|AG|KG|KGaA|OHG|GbR|UG|e\.\s?K\.|e\.\s?V\.|mbH|SE|Ltd\.?|Inc\.?)(?![A-Za-zäöü])/;

function partyName(lines: string[], section: RegExp): string | null {
  const start = lines.findIndex((l) => section.test(l));
  if (start < 0) return null;
  for (const l of lines.slice(start, start + 12)) {
    const m = /\bName\s*:\s*(.+)$/.exec(l);
    if (m) return m[1]!.trim().replace(/\s{2,}.*$/, '');
  }
  return null;
}

/** True when a text reads like an invoice (used before trying field extraction on unknown documents). */
export function looksLikeInvoice(text: string): boolean {
  const t = text.toLowerCase();
  const hasWord = /rechnung|invoice|faktura/.test(t);
  const hasTotal = /brutto|gesamtbetrag|rechnungsbetrag|zahlbetrag|summe|total|zu zahlen/.test(t);
  return hasWord && hasTotal && amountsIn(text).length > 0;
}

/**
 * Reads invoice fields from OCR or PDF text by labels and patterns (invoice number, date, totals,
 * IBAN with checksum, VAT id, Leitweg-ID, seller/buyer names). Fields not found stay null.
 */
export function fieldsFromText(text: string): InvoiceModel {
  const m = emptyModel('ocr');
  const lines = text.split(/\r?\n/).map((l) => l.replace(/[|]/g, ' ').trimEnd()).filter((l) => l.trim() !== '');
  const flat = lines.join('\n');

  for (const re of INVOICE_NO) {
    const hit = lines.map((l) => re.exec(l)).find((x) => x && /\d/.test(x[1]!));
    if (hit) {
      m.invoiceNumber = hit[1]!.replace(/[.:,]$/, '');
      // the date is usually on the same line ("Rechnung Nr. 4711 vom 05.03.2018")
      m.issueDate = findDate(hit.input.slice(hit.index));
      break;
    }
  }
  if (!m.issueDate) {
    const dl = lines.find((l) => /(Rechnungs|Beleg)datum|Datum\s*:/i.test(l));
    m.issueDate = (dl && findDate(dl)) || findDate(flat);
  }
  m.issueDateRaw = m.issueDate;

  m.totals.gross = labelledAmount(lines, [/Bruttosumme|Brutto-?betrag|Rechnungsbetrag|Gesamtbetrag\s*(?:brutto|inkl\.?)|Summe\s*brutto|Gesamtsumme|Endbetrag|Brutto\b/i, /\bGesamt(?:betrag)?\b|\bTotal\b/i], { nextLine: true });
  m.totals.net = labelledAmount(lines, [/Rechnungssumme\s*ohne\s*USt\.?|Nettobetrag|Summe\s*netto|Gesamt\s*netto|Netto(?:summe)?\b|Warenwert/i]);
  m.totals.tax = labelledAmount(lines, [/^\s*(?:Steuerbetrag|Umsatzsteuer\s*gesamt|USt\.?\s*gesamt|MwSt\.?\s*gesamt|Summe\s*(?:USt|MwSt)\.?)/i, /(?:zzgl\.?|\+)\s*\d{1,2}\s*%\s*(?:USt|MwSt)\.?/i]);
  m.totals.payable = labelledAmount(lines, [/Zahlbetrag|zu\s+zahlen|fälliger\s+Betrag|Zahlungsbetrag/i]) ?? m.totals.gross;
  // Fill one missing total from the other two when the arithmetic allows it.
  const { net, tax, gross } = m.totals;
  if (gross === null && net !== null && tax !== null) m.totals.gross = Math.round((net + tax) * 100) / 100;
  if (net === null && gross !== null && tax !== null) m.totals.net = Math.round((gross - tax) * 100) / 100;
  if (tax === null && gross !== null && net !== null && gross >= net) m.totals.tax = Math.round((gross - net) * 100) / 100;

  m.currency = /\bEUR\b|€/.test(flat) ? 'EUR' : /\bCHF\b/.test(flat) ? 'CHF' : /\bUSD\b|\$/.test(flat) ? 'USD' : null;

  for (const hit of flat.matchAll(/\b([A-Z]{2}[0-9O]{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?)\b/g)) {
    const iban = normalizeIban(hit[1]!);
    const fixed = iban.slice(0, 2) + iban.slice(2).replace(/O/g, '0').replace(/[IL]/g, '1');
    if (isValidIban(iban)) m.iban = iban;
    else if (isValidIban(fixed)) m.iban = fixed;
    if (m.iban) break;
  }
  if (m.iban) m.payeeAccounts.push({ id: m.iban, meansCode: '58' });

  const vatLine = lines.find((l) => /USt[.-]?\s*-?Id|Umsatzsteuer-?Id|VAT\s*(?:ID|No)/i.test(l));
  const vat = vatLine ? /\b((?:DE|AT)U?\s?\d{8,9}|[A-Z]{2}\s?[0-9A-Z]{8,12})\b/.exec(vatLine.replace(/^.*?(?:Id\.?-?Nr\.?|IdNr\.?|ID|No\.?)\s*:?/i, '')) : null;
  m.seller.vatId = vat?.[1] ?? /\b(DE\s?\d{9})\b/.exec(flat)?.[1] ?? null;

  const lw = /Leitweg[e]?-?ID\s*:?\s*([0-9]{2,12}(?:-[A-Za-z0-9]{1,30})?-[0-9]{2})\b/i.exec(flat);
  const anyLw = lw ?? [...flat.matchAll(/\b(\d{2,12}-[A-Za-z0-9]{1,30}-\d{2})\b/g)].find((x) => checkLeitwegId(x[1]!).ok);
  m.buyerReference = anyLw?.[1] ?? null;

  m.seller.name = partyName(lines, /Verkäufer|Lieferant\b|Rechnungssteller|Auftragnehmer/i) ?? lines.slice(0, 15).map((l) => l.trim()).find((l) => LEGAL_FORM.test(l) && !/Kunde|Käufer/i.test(l) && l.length < 80) ?? null;
  m.buyer.name = partyName(lines, /(?<!Ver)Käufer|Rechnungsempfänger|Leistungsempfänger|Kunde\b/i);
  return m;
}
