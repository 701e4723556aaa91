import { emptyModel, type InvoiceModel } from './types.ts';
import { all, amount, attr, first, isoDate, joinParts, num, text, txt, type XNode } from './xml.ts';

function partyAddress(party: XNode | undefined): string | null {
  const a = first(party, 'PostalTradeAddress');
  if (!a) return null;
  return joinParts(
    text(a, 'LineOne'),
    text(a, 'LineTwo'),
    joinParts(text(a, 'PostcodeCode'), text(a, 'CityName'))?.replace(', ', ' ') ?? null,
    text(a, 'CountryID'),
  );
}

/** An amount element in the invoice currency (elements may repeat with another currencyID). */
function amountIn(parent: XNode | undefined, name: string, currency: string | null): number | null {
  const els = all(parent, name);
  const el = els.find((e) => !attr(e, 'currencyID') || attr(e, 'currencyID') === currency) ?? els[0];
  return num(txt(el));
}

/** Element names of CII (D16B, ZUGFeRD 2 / Factur-X / XRechnung) and of ZUGFeRD 1.0 (CrossIndustryDocument). */
const NAMES = {
  cii: {
    context: 'ExchangedDocumentContext',
    doc: 'ExchangedDocument',
    tx: 'SupplyChainTradeTransaction',
    agreement: 'ApplicableHeaderTradeAgreement',
    settlement: 'ApplicableHeaderTradeSettlement',
    summation: 'SpecifiedTradeSettlementHeaderMonetarySummation',
    lineDelivery: 'SpecifiedLineTradeDelivery',
    lineSettlement: 'SpecifiedLineTradeSettlement',
    lineSummation: 'SpecifiedTradeSettlementLineMonetarySummation',
    rate: 'RateApplicablePercent',
  },
  zugferd1: {
    context: 'SpecifiedExchangedDocumentContext',
    doc: 'HeaderExchangedDocument',
    tx: 'SpecifiedSupplyChainTradeTransaction',
    agreement: 'ApplicableSupplyChainTradeAgreement',
    settlement: 'ApplicableSupplyChainTradeSettlement',
    summation: 'SpecifiedTradeSettlementMonetarySummation',
    lineDelivery: 'SpecifiedSupplyChainTradeDelivery',
    lineSettlement: 'SpecifiedSupplyChainTradeSettlement',
    lineSummation: 'SpecifiedTradeSettlementMonetarySummation',
    rate: 'ApplicablePercent',
  },
} as const;

/**
 * Reads a UN/CEFACT Cross Industry Invoice (XRechnung CII, ZUGFeRD 2 / Factur-X) or a ZUGFeRD 1.0
 * CrossIndustryDocument into the invoice model.
 */
export function parseCii(root: XNode, variant: keyof typeof NAMES = 'cii'): InvoiceModel {
  const N = NAMES[variant];
  const m = emptyModel('cii');
  m.specification = text(root, N.context, 'GuidelineSpecifiedDocumentContextParameter', 'ID'); // BT-24
  const doc = first(root, N.doc);
  m.invoiceNumber = text(doc, 'ID'); // BT-1
  m.typeCode = text(doc, 'TypeCode'); // BT-3
  m.issueDateRaw = text(doc, 'IssueDateTime', 'DateTimeString'); // BT-2 (format 102)
  m.issueDate = isoDate(m.issueDateRaw);
  m.notes = all(doc, 'IncludedNote').map((n) => text(n, 'Content')).filter((s): s is string => !!s);

  const tx = first(root, N.tx);
  const agreement = first(tx, N.agreement);
  const settlement = first(tx, N.settlement);
  m.currency = text(settlement, 'InvoiceCurrencyCode'); // BT-5
  m.buyerReference = text(agreement, 'BuyerReference'); // BT-10

  const seller = first(agreement, 'SellerTradeParty');
  m.seller.name = text(seller, 'Name'); // BT-27
  const vat = all(seller, 'SpecifiedTaxRegistration', 'ID').find((i) => attr(i, 'schemeID') === 'VA');
  m.seller.vatId = txt(vat); // BT-31
  m.seller.address = partyAddress(seller);
  const buyer = first(agreement, 'BuyerTradeParty');
  m.buyer.name = text(buyer, 'Name'); // BT-44
  m.buyer.vatId = txt(all(buyer, 'SpecifiedTaxRegistration', 'ID').find((i) => attr(i, 'schemeID') === 'VA'));
  m.buyer.address = partyAddress(buyer);

  m.lines = all(tx, 'IncludedSupplyChainTradeLineItem').map((l) => {
    const q = first(l, N.lineDelivery, 'BilledQuantity');
    const ls = first(l, N.lineSettlement);
    return {
      id: text(l, 'AssociatedDocumentLineDocument', 'LineID'),
      name: text(l, 'SpecifiedTradeProduct', 'Name'),
      quantity: num(txt(q)),
      unit: attr(q, 'unitCode'),
      netAmount: amount(ls, N.lineSummation, 'LineTotalAmount'), // BT-131
      taxCategory: text(ls, 'ApplicableTradeTax', 'CategoryCode'),
      taxRate: amount(ls, 'ApplicableTradeTax', N.rate),
    };
  });

  m.allowanceCharges = all(settlement, 'SpecifiedTradeAllowanceCharge').map((a) => ({
    charge: text(a, 'ChargeIndicator', 'Indicator')?.toLowerCase() === 'true',
    amount: amount(a, 'ActualAmount'),
    reason: text(a, 'Reason') ?? text(a, 'ReasonCode'),
    taxCategory: text(a, 'CategoryTradeTax', 'CategoryCode'),
    taxRate: amount(a, 'CategoryTradeTax', N.rate),
  }));

  m.taxes = all(settlement, 'ApplicableTradeTax').map((t) => ({
    category: text(t, 'CategoryCode'),
    rate: amount(t, N.rate),
    basis: amount(t, 'BasisAmount'),
    amount: amount(t, 'CalculatedAmount'),
  }));

  const s = first(settlement, N.summation);
  m.totals.lineTotal = amount(s, 'LineTotalAmount');
  m.totals.charges = amount(s, 'ChargeTotalAmount');
  m.totals.allowances = amount(s, 'AllowanceTotalAmount');
  m.totals.net = amount(s, 'TaxBasisTotalAmount');
  m.totals.tax = amountIn(s, 'TaxTotalAmount', m.currency);
  m.totals.rounding = amount(s, 'RoundingAmount');
  m.totals.gross = amount(s, 'GrandTotalAmount');
  m.totals.prepaid = amount(s, 'TotalPrepaidAmount');
  m.totals.payable = amount(s, 'DuePayableAmount');

  for (const pm of all(settlement, 'SpecifiedTradeSettlementPaymentMeans')) {
    const code = text(pm, 'TypeCode');
    if (code) m.paymentMeansCodes.push(code);
    const acc = first(pm, 'PayeePartyCreditorFinancialAccount');
    const id = text(acc, 'IBANID') ?? text(acc, 'ProprietaryID');
    if (id) m.payeeAccounts.push({ id, meansCode: code });
  }
  m.iban = m.payeeAccounts[0]?.id ?? null;
  const due = text(settlement, 'SpecifiedTradePaymentTerms', 'DueDateDateTime', 'DateTimeString');
  m.dueDate = isoDate(due);
  m.paymentTerms = text(settlement, 'SpecifiedTradePaymentTerms', 'Description');
  return m;
}
