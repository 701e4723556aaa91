import type { FC } from 'hono/jsx';
import { checkLeitwegId, looksLikeLeitwegId } from '../../../text/check-digits.ts';
import type { InvoiceJson, InvoiceModel } from './types.ts';
import { validateInvoice } from './validate.ts';

const money = (v: number | null, currency: string | null): string =>
  v === null ? '–' : new Intl.NumberFormat('de-DE', { style: 'currency', currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : 'EUR' }).format(v);
const num = (v: number | null): string => (v === null ? '–' : new Intl.NumberFormat('de-DE', { maximumFractionDigits: 4 }).format(v));
const date = (iso: string | null): string => (iso ? new Intl.DateTimeFormat('de-DE', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(`${iso}T00:00:00Z`)) : '–');
const iban = (s: string | null): string => (s ? s.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim() : '–');

const FORMAT_LABEL: Record<InvoiceModel['format'], string> = {
  ubl: 'XRechnung/EN 16931 (UBL)',
  cii: 'XRechnung/EN 16931 (CII)',
  zugferd: 'ZUGFeRD/Factur-X (PDF mit eingebettetem XML)',
  ocr: 'Gescannte bzw. PDF-Rechnung (Texterkennung, Felder bitte prüfen)',
};
const TYPE_LABEL: Record<string, string> = { '380': 'Rechnung', '381': 'Gutschrift', '384': 'Rechnungskorrektur', '389': 'Selbst ausgestellte Rechnung', '326': 'Teilrechnung', '875': 'Teilschlussrechnung', '876': 'Teilrechnung', '877': 'Schlussrechnung' };
const MEANS_LABEL: Record<string, string> = { '30': 'Überweisung', '58': 'SEPA-Überweisung', '59': 'SEPA-Lastschrift', '48': 'Kartenzahlung', '49': 'Lastschrift', '10': 'Bar', '57': 'Dauerauftrag', '1': 'Nicht angegeben' };

/** UN/ECE Recommendation 20 unit codes seen on German invoices. */
const UNIT_LABEL: Record<string, string> = { H87: 'Stück', C62: 'Stück', XPP: 'Stück', EA: 'Stück', KWH: 'kWh', DAY: 'Tage', HUR: 'Std.', MIN: 'Min.', MTQ: 'm³', MTK: 'm²', MTR: 'm', KGM: 'kg', TNE: 't', LTR: 'l', LS: 'pauschal', MON: 'Monate', ANN: 'Jahre', WEE: 'Wochen', SET: 'Satz' };
const unit = (code: string | null): string => (code ? (UNIT_LABEL[code] ?? code) : '');

const Row: FC<{ label: string; value: string | null | undefined; lang?: string }> = ({ label, value, lang }) => (
  <div class="kern-description-list-item">
    <dt class="kern-description-list-item__key">{label}</dt>
    <dd class="kern-description-list-item__value" lang={lang}>
      {value ?? '–'}
    </dd>
  </div>
);

/**
 * A readable German view of an invoice for the review queue: parties, Leitweg-ID (with its check),
 * lines, tax breakdown, totals and the validation result with rule ids. Status is given in words,
 * never by colour alone.
 * @example <InvoiceView model={model} json={json} />
 */
/** UNTDID 5305 VAT category codes (EN 16931 BT-118) in words. */
const TAX_CATEGORY: Record<string, string> = {
  S: 'Regelsatz',
  Z: 'Nullsatz',
  E: 'steuerbefreit',
  AE: 'Steuerschuld des Leistungsempfängers (Reverse Charge)',
  K: 'innergemeinschaftliche Lieferung',
  G: 'Ausfuhr außerhalb der EU',
  O: 'nicht steuerbar',
  L: 'Kanarische Inseln (IGIC)',
  M: 'Ceuta und Melilla (IPSI)',
};

export const InvoiceView: FC<{ model: InvoiceModel; json?: InvoiceJson; headingLevel?: 2 | 3 }> = ({ model, json, headingLevel = 2 }) => {
  const validation = json?.validation ?? validateInvoice(model, { ocr: model.format === 'ocr' });
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const H2 = headingLevel === 2 ? 'h3' : 'h4';
  const cur = model.currency;
  const t = model.totals;
  const lw = model.buyerReference;
  const lwCheck = lw && looksLikeLeitwegId(lw) ? checkLeitwegId(lw) : null;
  return (
    <section class="lotse-invoice" aria-labelledby="rechnung-titel">
      <H id="rechnung-titel" class="kern-heading-medium">
        {TYPE_LABEL[model.typeCode ?? ''] ?? 'Rechnung'} {model.invoiceNumber ?? '(ohne Nummer)'} vom {date(model.issueDate)}
      </H>
      <div class={`kern-alert kern-alert--${validation.valid ? 'success' : 'danger'}`} role="status">
        <div class="kern-alert__header">
          <span class={`kern-icon kern-icon--${validation.valid ? 'success' : 'danger'}`} aria-hidden="true" />
          <span class="kern-title">{validation.valid ? 'Prüfung bestanden: keine Regel verletzt.' : `Prüfung nicht bestanden: ${validation.errors.length} ${validation.errors.length === 1 ? 'Regel' : 'Regeln'} verletzt.`}</span>
        </div>
        {validation.errors.length ? (
          <div class="kern-alert__body">
            <ul class="kern-list">
              {validation.errors.map((e) => (
                <li>
                  <strong>{e.rule}</strong>: {e.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>

      <dl class="kern-description-list">
        <Row label="Format" value={FORMAT_LABEL[model.format]} />
        {model.embeddedFile ? <Row label="Eingebettete Datei" value={model.embeddedFile} /> : null}
        <Row label="Verkäufer" value={model.seller.name} />
        {model.seller.address ? <Row label="Anschrift Verkäufer" value={model.seller.address} /> : null}
        <Row label="USt-IdNr. Verkäufer" value={model.seller.vatId} />
        <Row label="Käufer" value={model.buyer.name} />
        <Row
          label="Leitweg-ID / Käuferreferenz (BT-10)"
          value={lw ? `${lw}${lwCheck ? (lwCheck.ok ? ' – Prüfziffer korrekt' : lwCheck.problem === 'format' ? ' – Format ungültig' : ` – Prüfziffer falsch (erwartet ${lwCheck.expected})`) : ''}` : null}
        />
        <Row label="Fällig am" value={model.dueDate ? date(model.dueDate) : null} />
        <Row label="Zahlungsart" value={model.paymentMeansCodes.map((c) => MEANS_LABEL[c] ?? `Code ${c}`).join(', ') || null} />
        <Row label="IBAN des Zahlungsempfängers" value={iban(model.iban)} />
        {model.paymentTerms ? <Row label="Zahlungsbedingungen" value={model.paymentTerms} /> : null}
        {model.ocrConfidence !== undefined && model.ocrConfidence !== null ? <Row label="Sicherheit der Texterkennung" value={`${Math.round(model.ocrConfidence * 100)} %`} /> : null}
      </dl>

      {model.lines.length ? (
        <>
          <H2 class="kern-heading-small">Positionen ({model.lines.length})</H2>
          <div class="kern-table-responsive" tabindex={0} role="region" aria-label="Rechnungspositionen">
            <table class="kern-table kern-table--small">
              <caption class="kern-sr-only">Rechnungspositionen</caption>
              <thead class="kern-table__header">
                <tr class="kern-table__row">
                  <th scope="col" class="kern-table__header">Nr.</th>
                  <th scope="col" class="kern-table__header">Bezeichnung</th>
                  <th scope="col" class="kern-table__header kern-table__header--numeric">Menge</th>
                  <th scope="col" class="kern-table__header kern-table__header--numeric">USt.</th>
                  <th scope="col" class="kern-table__header kern-table__header--numeric">Netto</th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {model.lines.map((l) => (
                  <tr class="kern-table__row">
                    <td class="kern-table__cell">{l.id ?? '–'}</td>
                    <td class="kern-table__cell">{l.name ?? '–'}</td>
                    <td class="kern-table__cell kern-table__cell--numeric">
                      {num(l.quantity)} {unit(l.unit)}
                    </td>
                    <td class="kern-table__cell kern-table__cell--numeric">{l.taxRate === null ? (l.taxCategory ?? '–') : `${num(l.taxRate)} %`}</td>
                    <td class="kern-table__cell kern-table__cell--numeric">{money(l.netAmount, cur)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {model.taxes.length ? (
        <>
          <H2 class="kern-heading-small">Umsatzsteuer</H2>
          <table class="kern-table kern-table--small">
            <caption class="kern-sr-only">Umsatzsteuer je Kategorie</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">Kategorie</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Satz</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Basis</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Steuer</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {model.taxes.map((x) => (
                <tr class="kern-table__row">
                  <td class="kern-table__cell">{x.category ? (TAX_CATEGORY[x.category] ? `${x.category} – ${TAX_CATEGORY[x.category]}` : x.category) : '–'}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{x.rate === null ? '–' : `${num(x.rate)} %`}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{money(x.basis, cur)}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{money(x.amount, cur)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      <H2 class="kern-heading-small">Summen</H2>
      <table class="kern-table kern-table--small">
        <caption class="kern-sr-only">Rechnungssummen</caption>
        <tbody class="kern-table__body">
          {(
            [
              ['Summe der Positionen (BT-106)', t.lineTotal],
              ['Abschläge (BT-107)', t.allowances],
              ['Zuschläge (BT-108)', t.charges],
              ['Gesamt netto (BT-109)', t.net],
              ['Umsatzsteuer (BT-110)', t.tax],
              ['Gesamt brutto (BT-112)', t.gross],
              ['Vorauszahlung (BT-113)', t.prepaid],
              ['Rundung (BT-114)', t.rounding],
              ['Zahlbetrag (BT-115)', t.payable],
            ] as [string, number | null][]
          )
            .filter(([label, v]) => v !== null || /BT-1(09|12|15)/.test(label))
            .map(([label, v]) => (
              <tr class={`kern-table__row${/BT-11[25]/.test(label) ? ' lotse-invoice__total' : ''}`}>
                <th scope="row" class="kern-table__cell">
                  {label}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">{money(v, cur)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
};

/** Renders the invoice view as an HTML string (for pages, e-mails or tests). */
export function renderInvoiceView(model: InvoiceModel, json?: InvoiceJson): string {
  return String(<InvoiceView model={model} json={json} />);
}
