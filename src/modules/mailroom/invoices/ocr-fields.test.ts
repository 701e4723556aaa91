import { describe, expect, it } from 'vitest';
import { fieldsFromText, findDate, looksLikeInvoice, parseAmount } from './ocr-fields.ts';

/** OCR-like text as tesseract returns it after the layout step (columns, noise, O for 0). */
const SCAN = `Beispiel-Rechnungen für ZUGFeRD 2.2, (c) FeRD 2022
Handelsrechnung (380) Nr. 471102 vom    05.03.2018
Währung:    EUR
Leitwege-ID:    04011000-12345-03
Verkäufer
Name:    Lieferant GmbH
Anschrift:    Lieferantenstraße 20
USt.-Id.-Nr.:    DE123456789
Käufer/Leistungsempfänger
Name:    Kunden AG Mitte
Art (Kategorie)    Warenwert    Basisbetrag    Steuersatz [%]    Steuerbetrag
Umsatzsteuer (S)    275,00    7    19,25
Rechnungssumme ohne USt.    }    473,00
Steuerbetrag    56,87
Bruttosumme    529,87
Zahlbetrag    529,87
IBAN:    DEO2 1203 0000 0000 2020 51`;

describe('OCR field heuristics', () => {
  it('reads number, date, totals, IBAN (fixing O→0), VAT id, Leitweg-ID and parties', () => {
    const m = fieldsFromText(SCAN);
    expect(m.invoiceNumber).toBe('471102');
    expect(m.issueDate).toBe('2018-03-05');
    expect(m.totals).toMatchObject({ net: 473, tax: 56.87, gross: 529.87, payable: 529.87 });
    expect(m.iban).toBe('DE02120300000000202051');
    expect(m.seller).toMatchObject({ name: 'Lieferant GmbH', vatId: 'DE123456789' });
    expect(m.buyer.name).toBe('Kunden AG Mitte');
    expect(m.buyerReference).toBe('04011000-12345-03');
    expect(m.currency).toBe('EUR');
  });

  it('handles other label styles', () => {
    const m = fieldsFromText(`Muster Bau GmbH\nRechnung\nRechnungsnummer: RE-2026/0815\nRechnungsdatum: 3. März 2026\nNettobetrag 1.000,00 €\nzzgl. 19 % USt. 190,00 €\nRechnungsbetrag 1.190,00 €`);
    expect(m.invoiceNumber).toBe('RE-2026/0815');
    expect(m.issueDate).toBe('2026-03-03');
    expect(m.totals).toMatchObject({ net: 1000, tax: 190, gross: 1190, payable: 1190 });
    expect(m.seller.name).toBe('Muster Bau GmbH');
  });

  it('fills a missing total from the other two', () => {
    const m = fieldsFromText('Rechnung Nr. 77\nDatum: 01.02.2026\nNetto 100,00\nGesamtbetrag brutto 119,00');
    expect(m.totals.tax).toBe(19);
  });

  it('parses German and English amounts and dates', () => {
    expect(parseAmount('1.234,56')).toBe(1234.56);
    expect(parseAmount('1234,56')).toBe(1234.56);
    expect(parseAmount('1,234.56')).toBe(1234.56);
    expect(findDate('vom 31.02.2018 oder 28.02.2018')).toBe('2018-02-28');
    expect(findDate('am 2026-01-05')).toBe('2026-01-05');
  });

  it('tells invoices from other letters', () => {
    expect(looksLikeInvoice(SCAN)).toBe(true);
    expect(looksLikeInvoice('Sehr geehrte Damen und Herren, die Straßenlaterne ist defekt.')).toBe(false);
  });
});
