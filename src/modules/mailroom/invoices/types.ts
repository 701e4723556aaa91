/** The output contract of `lotse invoice extract --json` (shared/docs/interfaces.md). */
export interface InvoiceJson {
  format: InvoiceFormat;
  /** BT-1; null only for OCR'd invoices where it could not be read. */
  invoiceNumber: string | null;
  /** BT-2 as YYYY-MM-DD. */
  issueDate: string | null;
  /** BT-5. */
  currency: string | null;
  /** BT-10 (the Leitweg-ID for public buyers). */
  buyerReference: string | null;
  seller: { name: string | null; vatId: string | null };
  buyer: { name: string | null };
  /** BT-109, BT-110, BT-112, BT-115 in the invoice currency. */
  totals: { net: number | null; tax: number | null; gross: number | null; payable: number | null };
  iban: string | null;
  lineCount: number;
  validation: InvoiceValidation;
}

/**
 * The `lotse invoice extract` / `POST /api/v1/invoices/extract` JSON exactly as interfaces.md types it:
 * null only where it says `str|null` (buyerReference, seller.vatId, buyer.name, iban). A missing
 * mandatory value is `""` (strings) or `0` (amounts), and the broken rule is in `validation.errors`.
 */
export interface InvoiceContractJson extends Omit<InvoiceJson, 'invoiceNumber' | 'issueDate' | 'currency' | 'seller' | 'totals'> {
  invoiceNumber: string;
  issueDate: string;
  currency: string;
  seller: { name: string; vatId: string | null };
  totals: { net: number; tax: number; gross: number; payable: number };
}

export type InvoiceFormat = 'ubl' | 'cii' | 'zugferd' | 'ocr';

export interface ValidationError {
  /** EN 16931 (`BR-…`, `BR-CO-…`), XRechnung (`BR-DE-…`) or Lotse's own (`LOTSE-…`) rule id. */
  rule: string;
  /** German, names the business term (BT-…) and the values involved. */
  message: string;
}

export interface InvoiceValidation {
  valid: boolean;
  errors: ValidationError[];
}

export interface InvoiceLine {
  id: string | null;
  name: string | null;
  quantity: number | null;
  unit: string | null;
  /** BT-131 line net amount. */
  netAmount: number | null;
  taxCategory: string | null;
  taxRate: number | null;
}

export interface AllowanceCharge {
  /** true = charge (Zuschlag), false = allowance (Abschlag). */
  charge: boolean;
  amount: number | null;
  reason: string | null;
  taxCategory: string | null;
  taxRate: number | null;
}

export interface TaxBreakdown {
  /** BT-118 */
  category: string | null;
  /** BT-119 in percent */
  rate: number | null;
  /** BT-116 */
  basis: number | null;
  /** BT-117 */
  amount: number | null;
}

export interface PartyDetails {
  name: string | null;
  vatId: string | null;
  address: string | null;
}

/**
 * Everything Lotse reads from an e-invoice: the contract fields plus the details used by the
 * validation and the German invoice view. Amounts are decimal numbers as in the XML.
 */
export interface InvoiceModel {
  format: InvoiceFormat;
  /** BT-24, e.g. `urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0`. */
  specification: string | null;
  /** BT-3 (380 invoice, 381 credit note …). */
  typeCode: string | null;
  invoiceNumber: string | null;
  issueDate: string | null;
  /** Raw BT-2 when it could not be turned into YYYY-MM-DD. */
  issueDateRaw: string | null;
  dueDate: string | null;
  currency: string | null;
  buyerReference: string | null;
  seller: PartyDetails;
  buyer: PartyDetails;
  lines: InvoiceLine[];
  allowanceCharges: AllowanceCharge[];
  taxes: TaxBreakdown[];
  totals: {
    /** BT-106 */ lineTotal: number | null;
    /** BT-107 */ allowances: number | null;
    /** BT-108 */ charges: number | null;
    /** BT-109 */ net: number | null;
    /** BT-110 */ tax: number | null;
    /** BT-112 */ gross: number | null;
    /** BT-113 */ prepaid: number | null;
    /** BT-114 */ rounding: number | null;
    /** BT-115 */ payable: number | null;
  };
  /** BT-81 of each payment means. */
  paymentMeansCodes: string[];
  /** BT-84 of the first payment means with a payee account. */
  iban: string | null;
  /** All payee account ids (BT-84), for validation. */
  payeeAccounts: { id: string; meansCode: string | null }[];
  paymentTerms: string | null;
  notes: string[];
  /** Name of the embedded XML file (ZUGFeRD). */
  embeddedFile?: string | null;
  /** OCR only: mean word confidence 0–1 of the pages read. */
  ocrConfidence?: number | null;
}

/** The result of reading an invoice: the contract JSON plus the full model (for views and storage). */
export interface ExtractedInvoice {
  json: InvoiceJson;
  model: InvoiceModel;
}

export const emptyModel = (format: InvoiceFormat): InvoiceModel => ({
  format,
  specification: null,
  typeCode: null,
  invoiceNumber: null,
  issueDate: null,
  issueDateRaw: null,
  dueDate: null,
  currency: null,
  buyerReference: null,
  seller: { name: null, vatId: null, address: null },
  buyer: { name: null, vatId: null, address: null },
  lines: [],
  allowanceCharges: [],
  taxes: [],
  totals: { lineTotal: null, allowances: null, charges: null, net: null, tax: null, gross: null, prepaid: null, rounding: null, payable: null },
  paymentMeansCodes: [],
  iban: null,
  payeeAccounts: [],
  paymentTerms: null,
  notes: [],
});
