import { emptyModel, type InvoiceModel } from './types.ts';
import { all, amount, attr, first, isoDate, joinParts, num, text, txt, type XNode } from './xml.ts';

function partyAddress(party: XNode | undefined): string | null {
  const a = first(party, 'PostalAddress');
  if (!a) return null;
  return joinParts(
    text(a, 'StreetName'),
    text(a, 'AdditionalStreetName'),
    joinParts(text(a, 'PostalZone'), text(a, 'CityName'))?.replace(', ', ' ') ?? null,
    text(a, 'Country', 'IdentificationCode'),
  );
}

/**
 * Reads a UBL 2.1 Invoice or CreditNote (XRechnung / EN 16931) into the invoice model.
 * Paths follow shared/data/invoices/README.md (BT numbers in comments).
 */
export function parseUbl(root: XNode, rootName: 'Invoice' | 'CreditNote'): InvoiceModel {
  const m = emptyModel('ubl');
  const isCredit = rootName === 'CreditNote';
  m.specification = text(root, 'CustomizationID'); // BT-24
  m.typeCode = text(root, isCredit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode'); // BT-3
  m.invoiceNumber = text(root, 'ID'); // BT-1
  m.issueDateRaw = text(root, 'IssueDate'); // BT-2
  m.issueDate = isoDate(m.issueDateRaw);
  m.dueDate = isoDate(text(root, 'DueDate') ?? text(root, 'PaymentMeans', 'PaymentDueDate'));
  m.currency = text(root, 'DocumentCurrencyCode'); // BT-5
  m.buyerReference = text(root, 'BuyerReference'); // BT-10
  m.notes = all(root, 'Note').map(txt).filter((s): s is string => !!s);

  const seller = first(root, 'AccountingSupplierParty', 'Party');
  m.seller.name = text(seller, 'PartyLegalEntity', 'RegistrationName') ?? text(seller, 'PartyName', 'Name'); // BT-27
  const vat = all(seller, 'PartyTaxScheme').find((t) => text(t, 'TaxScheme', 'ID')?.toUpperCase() === 'VAT');
  m.seller.vatId = text(vat, 'CompanyID'); // BT-31
  m.seller.address = partyAddress(seller);

  const buyer = first(root, 'AccountingCustomerParty', 'Party');
  m.buyer.name = text(buyer, 'PartyLegalEntity', 'RegistrationName') ?? text(buyer, 'PartyName', 'Name'); // BT-44
  const bvat = all(buyer, 'PartyTaxScheme').find((t) => text(t, 'TaxScheme', 'ID')?.toUpperCase() === 'VAT');
  m.buyer.vatId = text(bvat, 'CompanyID');
  m.buyer.address = partyAddress(buyer);

  // Top-level lines only: XRechnung sub-lines (SubInvoiceLine) sit inside a line and are not counted.
  m.lines = all(root, isCredit ? 'CreditNoteLine' : 'InvoiceLine').map((l) => {
    const q = first(l, isCredit ? 'CreditedQuantity' : 'InvoicedQuantity');
    return {
      id: text(l, 'ID'),
      name: text(l, 'Item', 'Name'),
      quantity: num(txt(q)),
      unit: attr(q, 'unitCode'),
      netAmount: amount(l, 'LineExtensionAmount'), // BT-131
      taxCategory: text(l, 'Item', 'ClassifiedTaxCategory', 'ID'),
      taxRate: amount(l, 'Item', 'ClassifiedTaxCategory', 'Percent'),
    };
  });

  m.allowanceCharges = all(root, 'AllowanceCharge').map((a) => ({
    charge: text(a, 'ChargeIndicator')?.toLowerCase() === 'true',
    amount: amount(a, 'Amount'),
    reason: text(a, 'AllowanceChargeReason') ?? text(a, 'AllowanceChargeReasonCode'),
    taxCategory: text(a, 'TaxCategory', 'ID'),
    taxRate: amount(a, 'TaxCategory', 'Percent'),
  }));

  // BT-110 is the TaxTotal in the invoice currency; a second TaxTotal may carry BT-111 (tax currency).
  const taxTotals = all(root, 'TaxTotal');
  const taxTotal = taxTotals.find((t) => attr(first(t, 'TaxAmount'), 'currencyID') === m.currency) ?? taxTotals.find((t) => all(t, 'TaxSubtotal').length > 0);
  m.totals.tax = amount(taxTotal, 'TaxAmount');
  m.taxes = all(taxTotal, 'TaxSubtotal').map((s) => ({
    category: text(s, 'TaxCategory', 'ID'),
    rate: amount(s, 'TaxCategory', 'Percent'),
    basis: amount(s, 'TaxableAmount'),
    amount: amount(s, 'TaxAmount'),
  }));

  const t = first(root, 'LegalMonetaryTotal');
  m.totals.lineTotal = amount(t, 'LineExtensionAmount');
  m.totals.allowances = amount(t, 'AllowanceTotalAmount');
  m.totals.charges = amount(t, 'ChargeTotalAmount');
  m.totals.net = amount(t, 'TaxExclusiveAmount');
  m.totals.gross = amount(t, 'TaxInclusiveAmount');
  m.totals.prepaid = amount(t, 'PrepaidAmount');
  m.totals.rounding = amount(t, 'PayableRoundingAmount');
  m.totals.payable = amount(t, 'PayableAmount');

  for (const pm of all(root, 'PaymentMeans')) {
    const code = text(pm, 'PaymentMeansCode');
    if (code) m.paymentMeansCodes.push(code);
    const id = text(pm, 'PayeeFinancialAccount', 'ID');
    if (id) m.payeeAccounts.push({ id, meansCode: code });
  }
  m.iban = m.payeeAccounts[0]?.id ?? null;
  m.paymentTerms = text(root, 'PaymentTerms', 'Note');
  return m;
}
