import { checkLeitwegId, isValidIban, looksLikeIban, looksLikeLeitwegId } from '../../../text/check-digits.ts';
import type { InvoiceModel, InvoiceValidation, ValidationError } from './types.ts';

/** Version of the rule set; stored with every automated result. */
export const INVOICE_RULES_VERSION = 'lotse-invoice-rules-1';

const cents = (v: number): number => Math.round(v * 100);
/** EN 16931 amounts have two decimals; a difference of one cent is rounding, not an error. */
const TOLERANCE_CENTS = 1;
const differs = (a: number, b: number): boolean => Math.abs(cents(a) - cents(b)) > TOLERANCE_CENTS;
const eur = (v: number | null): string => (v === null ? '–' : v.toFixed(2).replace('.', ','));
const sum = (xs: (number | null)[]): number => xs.reduce<number>((s, x) => s + (x ?? 0), 0);

/** True when BT-24 names the German XRechnung CIUS (then the BR-DE rules apply). */
export const isXRechnung = (m: InvoiceModel): boolean => /xrechnung/i.test(m.specification ?? '');

/**
 * Checks an invoice against the EN 16931 core rules Lotse needs for routing, the XRechnung rules on
 * BT-10 and payment, the Leitweg-ID check digits and the IBAN checksum. Messages are German and name
 * the business term. Not a replacement for the full KoSIT validator (no schema/Schematron run).
 */
export function validateInvoice(m: InvoiceModel, opts: { ocr?: boolean } = {}): InvoiceValidation {
  const errors: ValidationError[] = [];
  const err = (rule: string, message: string) => errors.push({ rule, message });
  const xr = isXRechnung(m);
  const ocr = opts.ocr === true;

  // Required business terms
  if (!ocr && !m.specification) err('BR-01', 'Die Spezifikationskennung (BT-24) fehlt.');
  if (!m.invoiceNumber) err('BR-02', 'Die Rechnungsnummer (BT-1) fehlt.');
  if (!m.issueDateRaw && !m.issueDate) err('BR-03', 'Das Rechnungsdatum (BT-2) fehlt.');
  else if (!m.issueDate) err('BR-03', `Das Rechnungsdatum (BT-2) „${m.issueDateRaw}“ ist kein gültiges Datum.`);
  if (!ocr && !m.typeCode) err('BR-04', 'Der Rechnungstyp (BT-3) fehlt.');
  if (!m.currency) err('BR-05', 'Der Währungscode (BT-5) fehlt.');
  if (!m.seller.name) err('BR-06', 'Der Name des Verkäufers (BT-27) fehlt.');
  if (!ocr && !m.buyer.name) err('BR-07', 'Der Name des Käufers (BT-44) fehlt.');
  if (!ocr && m.totals.lineTotal === null) err('BR-12', 'Die Summe der Positionsbeträge (BT-106) fehlt.');
  if (!ocr && m.totals.net === null) err('BR-13', 'Der Gesamtbetrag ohne Umsatzsteuer (BT-109) fehlt.');
  if (m.totals.gross === null) err('BR-14', 'Der Gesamtbetrag mit Umsatzsteuer (BT-112) fehlt.');
  if (!ocr && m.totals.payable === null) err('BR-15', 'Der fällige Zahlbetrag (BT-115) fehlt.');
  if (!ocr && m.lines.length === 0) err('BR-16', 'Die Rechnung enthält keine Rechnungsposition (BG-25).');
  if (xr && !m.buyerReference) err('BR-DE-15', 'Die Käuferreferenz bzw. Leitweg-ID (BT-10) fehlt; sie ist in der XRechnung Pflicht.');
  if (xr && m.paymentMeansCodes.length === 0) err('BR-DE-1', 'Die Zahlungsanweisungen (BG-16, Zahlungsart BT-81) fehlen; sie sind in der XRechnung Pflicht.');

  // Arithmetic (EN 16931 BR-CO rules); only when the terms are present (missing ones are reported above).
  const t = m.totals;
  if (!ocr && t.lineTotal !== null && m.lines.length > 0) {
    const s = sum(m.lines.map((l) => l.netAmount));
    if (differs(s, t.lineTotal)) err('BR-CO-10', `Die Summe der Positionsnettobeträge (${eur(s)}) stimmt nicht mit der Summe der Positionen (BT-106 = ${eur(t.lineTotal)}) überein.`);
  }
  const allowances = sum(m.allowanceCharges.filter((a) => !a.charge).map((a) => a.amount));
  const charges = sum(m.allowanceCharges.filter((a) => a.charge).map((a) => a.amount));
  if (t.allowances !== null && differs(allowances, t.allowances)) err('BR-CO-11', `Die Summe der Abschläge (${eur(allowances)}) stimmt nicht mit BT-107 (${eur(t.allowances)}) überein.`);
  if (t.charges !== null && differs(charges, t.charges)) err('BR-CO-12', `Die Summe der Zuschläge (${eur(charges)}) stimmt nicht mit BT-108 (${eur(t.charges)}) überein.`);
  if (t.lineTotal !== null && t.net !== null) {
    const expected = t.lineTotal - (t.allowances ?? 0) + (t.charges ?? 0);
    if (differs(expected, t.net)) err('BR-CO-13', `Der Nettobetrag (BT-109 = ${eur(t.net)}) muss Positionssumme − Abschläge + Zuschläge (${eur(expected)}) ergeben.`);
  }
  if (m.taxes.length > 0 && t.tax !== null) {
    const s = sum(m.taxes.map((x) => x.amount));
    if (differs(s, t.tax)) err('BR-CO-14', `Die Umsatzsteuer gesamt (BT-110 = ${eur(t.tax)}) stimmt nicht mit der Summe der Steuerbeträge je Kategorie (${eur(s)}) überein.`);
  }
  for (const x of m.taxes) {
    if (x.basis === null || x.amount === null) continue;
    const expected = Math.round(x.basis * (x.rate ?? 0)) / 100;
    if (differs(expected, x.amount)) {
      err('BR-CO-17', `Steuerbetrag der Kategorie ${x.category ?? '?'} ${x.rate ?? 0} % (BT-117 = ${eur(x.amount)}) muss Basis ${eur(x.basis)} × Satz ergeben (${eur(expected)}).`);
    }
  }
  // BR-CO-18: at least one VAT breakdown; BR-S-08 and siblings: the taxable amount of each category
  // (and rate, for rated categories) = its lines − its allowances + its charges.
  if (!ocr && m.lines.length > 0 && m.taxes.length === 0) err('BR-CO-18', 'Die Rechnung enthält keine Umsatzsteueraufschlüsselung (BG-23).');
  const rated = new Set(['S', 'L', 'M']);
  const key = (cat: string | null, rate: number | null) => `${cat ?? '?'}|${cat && rated.has(cat) ? cents(rate ?? 0) : ''}`;
  if (!ocr && m.lines.length > 0 && m.lines.every((l) => l.taxCategory && l.netAmount !== null)) {
    const basis = new Map<string, number>();
    const add = (k: string, v: number) => basis.set(k, (basis.get(k) ?? 0) + v);
    for (const l of m.lines) add(key(l.taxCategory, l.taxRate), l.netAmount!);
    for (const a of m.allowanceCharges) if (a.amount !== null) add(key(a.taxCategory, a.taxRate), a.charge ? a.amount : -a.amount);
    for (const x of m.taxes) {
      if (x.basis === null || !x.category) continue;
      const expected = basis.get(key(x.category, x.rate)) ?? 0;
      if (differs(expected, x.basis)) {
        err(`BR-${x.category}-08`, `Die Bemessungsgrundlage der Kategorie ${x.category}${rated.has(x.category) ? ` ${x.rate ?? 0} %` : ''} (BT-116 = ${eur(x.basis)}) muss Positionen − Abschläge + Zuschläge dieser Kategorie (${eur(expected)}) ergeben.`);
      }
    }
  }
  if (t.net !== null && t.gross !== null) {
    const expected = t.net + (t.tax ?? 0);
    if (differs(expected, t.gross)) err('BR-CO-15', `Der Bruttobetrag (BT-112 = ${eur(t.gross)}) muss Nettobetrag + Umsatzsteuer (${eur(expected)}) ergeben.`);
  }
  if (t.gross !== null && t.payable !== null) {
    const expected = t.gross - (t.prepaid ?? 0) + (t.rounding ?? 0);
    if (differs(expected, t.payable)) err('BR-CO-16', `Der Zahlbetrag (BT-115 = ${eur(t.payable)}) muss Bruttobetrag − Vorauszahlung + Rundung (${eur(expected)}) ergeben.`);
  }

  // Leitweg-ID: XRechnung itself does not check the check digits; a wrong one would misroute the invoice.
  const ref = m.buyerReference;
  if (ref && looksLikeLeitwegId(ref)) {
    const c = checkLeitwegId(ref);
    if (!c.ok && c.problem === 'format') err('LOTSE-LEITWEG-ID', `Die Leitweg-ID (BT-10) „${ref}“ hat nicht das Format Grobadressierung-Feinadressierung-Prüfziffer.`);
    if (!c.ok && c.problem === 'checkDigits') err('LOTSE-LEITWEG-ID', `Die Prüfziffer der Leitweg-ID (BT-10) „${ref}“ stimmt nicht (MOD 97-10, erwartet ${c.expected}).`);
  }

  // IBAN (BT-84) for credit transfers (58) or whenever the account id has the form of an IBAN.
  for (const a of m.payeeAccounts) {
    const sepa = a.meansCode === '58';
    if ((sepa || looksLikeIban(a.id)) && !isValidIban(a.id)) err('BR-DE-19', `Die IBAN (BT-84) „${a.id}“ ist ungültig (Prüfsumme oder Länge stimmt nicht).`);
  }
  return { valid: errors.length === 0, errors };
}
