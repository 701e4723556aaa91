import { describe, expect, it } from 'vitest';
import { renderInvoiceView } from './invoice-view.tsx';
import { fieldsFromText } from './ocr-fields.ts';
import { emptyModel } from './types.ts';

describe('renderInvoiceView', () => {
  it('renders parties, Leitweg-ID check, lines, totals and the rule ids in German', () => {
    const m = emptyModel('ubl');
    Object.assign(m, { specification: 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0', typeCode: '381', invoiceNumber: 'G-1', issueDate: '2026-03-29', issueDateRaw: '2026-03-29', currency: 'EUR', buyerReference: '031550011011-0-76' });
    m.seller = { name: 'Muster <GmbH>', vatId: 'DE123456789', address: null };
    m.buyer = { name: 'Stadt Northeim', vatId: null, address: null };
    m.lines = [{ id: '1', name: 'Streusalz', quantity: 2.5, unit: 'TNE', netAmount: 250, taxCategory: 'S', taxRate: 19 }];
    m.taxes = [{ category: 'S', rate: 19, basis: 250, amount: 47.5 }];
    m.totals = { lineTotal: 250, allowances: null, charges: null, net: 250, tax: 47.5, gross: 297.5, prepaid: null, rounding: null, payable: 297.5 };
    m.paymentMeansCodes = ['58'];
    m.iban = 'DE02120300000000202051';
    m.payeeAccounts = [{ id: m.iban, meansCode: '58' }];
    const html = renderInvoiceView(m);
    expect(html).toContain('Gutschrift G-1 vom 29.03.2026');
    expect(html).toContain('031550011011-0-76 – Prüfziffer korrekt');
    expect(html).toContain('Muster &lt;GmbH&gt;'); // escaped
    expect(html).toContain('2,5 t');
    expect(html).toMatch(/297,50\s*€/);
    expect(html).toContain('DE02 1203 0000 0000 2020 51');
    expect(html).toContain('Prüfung bestanden');
  });

  it('shows broken rules for an OCR invoice', () => {
    const m = fieldsFromText('Rechnung Nr. 5 vom 01.02.2026\nNettobetrag 100,00\nUSt. gesamt 19,00\nRechnungsbetrag 129,00\nLeitweg-ID: 04011000-12345-34');
    const html = renderInvoiceView(m);
    expect(html).toContain('Prüfung nicht bestanden');
    expect(html).toContain('BR-CO-15');
    expect(html).toContain('LOTSE-LEITWEG-ID');
    expect(html).toContain('Texterkennung');
  });
});
