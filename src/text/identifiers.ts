/**
 * Identifiers found in German administrative texts, extracted by rules before any ML:
 * Aktenzeichen, Kassenzeichen, ticket numbers, Leitweg-ID, IBAN, USt-IdNr, Steuernummer,
 * Kfz-Kennzeichen, dates and euro amounts. Check digits are verified where the format has
 * one (IBAN, Leitweg-ID; USt-IdNr is reported with its check result).
 *
 * @example
 * extractIdentifiers('Az. 63-0457/2026, Kassenzeichen 2026.0815.4711').aktenzeichen // ['63-0457/2026']
 */

import { checkLeitwegId, isValidIban, mod97CheckDigits } from './check-digits.ts';

export interface ExtractedIdentifiers {
  aktenzeichen: string[];
  kassenzeichen: string[];
  /** Ticket numbers as digits only (`[#267938]` → `267938`). */
  ticket: string[];
  /** Leitweg-IDs whose check digits are valid. */
  leitwegId: string[];
  /** IBANs without spaces, upper case, checksum valid. */
  iban: string[];
  ustId: string[];
  steuernummer: string[];
  kfzKennzeichen: string[];
  /** ISO dates (YYYY-MM-DD); only real calendar dates. */
  dates: string[];
  /** Euro amounts in integer cents. */
  amountsCents: number[];
}

export { isValidIban };

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

/** Computes the two check digits for an IBAN of `country` + `bban`. */
export function ibanCheckDigits(country: string, bban: string): string {
  return mod97CheckDigits(bban + country.toUpperCase());
}

/** Leitweg-ID check digits (Modulo 97-10 over grob + fein part, like IBAN). */
export function leitwegCheckDigits(grobFein: string): string {
  return mod97CheckDigits(grobFein.replace(/-/g, ''));
}

/**
 * True for a Leitweg-ID `GROB[-FEIN]-PP`: Grobadressierung 2–12 digits, optional
 * Feinadressierung up to 30 letters/digits, two check digits (Modulo 97-10).
 */
export const isValidLeitwegId = (input: string): boolean => checkLeitwegId(input).ok;

/** German USt-IdNr check digit (ISO 7064 MOD 11,10 over the 8 digits after `DE`). */
export function isValidUstId(input: string): boolean {
  const v = input.replace(/\s+/g, '').toUpperCase();
  if (!/^DE\d{9}$/.test(v)) return false;
  let product = 10;
  for (let i = 2; i < 10; i++) {
    let sum = (Number(v[i]) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === Number(v[10]);
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2100) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

const MONTHS: Record<string, number> = {
  januar: 1, jan: 1, jänner: 1, februar: 2, feb: 2, märz: 3, maerz: 3, mär: 3, april: 4, apr: 4, mai: 5, juni: 6, jun: 6,
  juli: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, oktober: 10, okt: 10, november: 11, nov: 11,
  dezember: 12, dez: 12,
};
const MONTH_RE = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Dates in German (`31.12.2025`, `1.7.26`, `1. Juli 2026`) or ISO (`2026-07-01`) notation. */
export function extractDates(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d])/g)) {
    let y = Number(m[3]);
    if (m[3]!.length === 2) y += y > 50 ? 1900 : 2000;
    if (isRealDate(y, Number(m[2]), Number(m[1]))) out.push(iso(y, Number(m[2]), Number(m[1])));
  }
  for (const m of text.matchAll(/(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])/g)) {
    if (isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) out.push(iso(Number(m[1]), Number(m[2]), Number(m[3])));
  }
  const named = new RegExp(`(?<!\\d)(\\d{1,2})\\.\\s*(${MONTH_RE})\\.?\\s+(\\d{4})(?!\\d)`, 'giu');
  for (const m of text.matchAll(named)) {
    const mo = MONTHS[m[2]!.toLowerCase()]!;
    if (isRealDate(Number(m[3]), mo, Number(m[1]))) out.push(iso(Number(m[3]), mo, Number(m[1])));
  }
  return uniq(out);
}

/** Parses a German (`1.234,56`) or plain (`1234.56`, `12`) number into cents. */
export function parseEuroToCents(raw: string): number | null {
  const s = raw.replace(/\s/g, '');
  let n: number;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s) || /^\d+(,\d{1,2})?$/.test(s)) n = Number(s.replace(/\./g, '').replace(',', '.'));
  else if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(s)) n = Number(s.replace(/,/g, ''));
  else if (/^\d+\.\d{1,2}$/.test(s)) n = Number(s);
  else if (/^\d+,-{1,2}$/.test(s)) n = Number(s.replace(/,-+$/, ''));
  else return null;
  return Number.isFinite(n) ? Math.round(n * 100) : null;
}

const NUM = String.raw`\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[,.]\d{1,2})?|\d+,-{1,2}`;

/** Amounts in euro (`12,50 €`, `€ 1.234,56`, `EUR 99`, `30 Euro`) in integer cents. */
export function extractAmounts(text: string): number[] {
  const out: number[] = [];
  const after = new RegExp(`(?<![\\d.,])(${NUM})\\s?(?:€|EUR\\b|Euro\\b)`, 'g');
  const before = new RegExp(`(?:€|EUR\\b)\\s?(${NUM})(?![\\d])`, 'g');
  for (const re of [after, before]) {
    for (const m of text.matchAll(re)) {
      const c = parseEuroToCents(m[1]!);
      if (c !== null) out.push(c);
    }
  }
  return uniq(out);
}

const CUE_AZ = String.raw`(?<![\p{L}])(?:Az\.?|AZ:|Aktenzeichen|Gesch(?:ä|ae)ftszeichen|Gz\.|Unser(?:e)?\s+Zeichen|Ihr(?:e)?\s+Zeichen|Zeichen)`;

/**
 * Aktenzeichen: after a cue (`Az.`, `Aktenzeichen`, `Geschäftszeichen`, `Unser Zeichen`,
 * `Ihr Zeichen`) any compact token with a digit; without a cue only the typical municipal
 * shape `NN-NNNN/YYYY` (Aktenplan number, running number, year).
 */
export function extractAktenzeichen(text: string): string[] {
  const out: string[] = [];
  const cued = new RegExp(`${CUE_AZ}\\s*(?:[:.]\\s*)?(?:lautet\\s+)?([A-Za-zÄÖÜäöü0-9][A-Za-zÄÖÜäöü0-9./\\-]*\\d[A-Za-zÄÖÜäöü0-9/\\-]*)`, 'gu');
  for (const m of text.matchAll(cued)) out.push(m[1]!.replace(/[.\-/]+$/, ''));
  for (const m of text.matchAll(/(?<![\d./-])(\d{1,3}(?:\.\d{1,3})?-\d{1,6}\/(?:19|20)\d{2})(?![\d/])/g)) out.push(m[1]!);
  return uniq(out.filter((x) => /\d/.test(x) && x.length >= 3 && !/^\d{1,2}\.\d{1,2}\.\d{2,4}$/.test(x)));
}

/** Kassenzeichen: after the cue any digits with dots/dashes/slashes; without cue `YYYY.NNNN.NNNN`. */
export function extractKassenzeichen(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/Kassen(?:zeichen|z\.|-?Nr\.?)\s*(?:[:.]\s*)?(\d[\d./-]*\d)/giu)) out.push(m[1]!);
  for (const m of text.matchAll(/(?<![\d.])((?:19|20)\d{2}\.\d{3,6}\.\d{3,6})(?![\d.])/g)) out.push(m[1]!);
  return uniq(out);
}

/** Ticket numbers: `[#267938]`, `[Ticket#2026012345]`, `Ticket-Nr. 12345`. */
export function extractTickets(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\[(?:Ticket)?#\s?(\d{3,})\]/gi)) out.push(m[1]!);
  for (const m of text.matchAll(/Ticket(?:-?Nr\.?|nummer)?\s*[:#]?\s*#?(\d{4,})/gi)) out.push(m[1]!);
  return uniq(out);
}

export function extractLeitwegIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\w-])(\d{2,12}(?:-[A-Za-z0-9]{1,30})?-\d{2})(?![\w-])/g)) {
    if (isValidLeitwegId(m[1]!)) out.push(m[1]!);
  }
  return uniq(out);
}

export function extractIbans(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)\b/g)) {
    // Greedy grouping may swallow a following word; shrink from the right until valid.
    const compact = m[1]!.replace(/ /g, '');
    for (let len = compact.length; len >= 15; len--) {
      if (isValidIban(compact.slice(0, len))) {
        out.push(compact.slice(0, len));
        break;
      }
    }
  }
  return uniq(out);
}

export function extractUstIds(text: string): string[] {
  return uniq([...text.matchAll(/\bDE\s?(\d{3})\s?(\d{3})\s?(\d{3})\b/g)].map((m) => `DE${m[1]}${m[2]}${m[3]}`));
}

/** Steuernummer in the state formats (`21/815/08150`, `123/456/78901`) or 13-digit ELSTER format after a cue. */
export function extractSteuernummern(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\d/])(\d{2,3}\/\d{3,4}\/\d{4,5})(?![\d/])/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:Steuernummer|St\.?-?Nr\.?)\s*[:.]?\s*(\d{13})\b/gi)) out.push(m[1]!);
  return uniq(out);
}

/**
 * Kfz-Kennzeichen `NOM-AB 123`, `GÖ X 12E`, `B-XY 1234`. The space-only form needs a cue
 * (`Kennzeichen`, `Kfz`, `amtl.`) because `AB C 12` is too common in ordinary text.
 */
export function extractKfzKennzeichen(text: string): string[] {
  const out: string[] = [];
  const hyphen = /(?<![\p{L}\d-])([A-ZÄÖÜ]{1,3}-[A-Z]{1,2}[ -]?\d{1,4}[EH]?)(?![\p{L}\d])/gu;
  for (const m of text.matchAll(hyphen)) out.push(m[1]!.replace(/-(?=\d)/, ' '));
  const cued = /(?:Kennzeichen|Kfz|Kz\.|amtl\.)[:.]?\s+([A-ZÄÖÜ]{1,3} [A-Z]{1,2} ?\d{1,4}[EH]?)(?![\p{L}\d])/gu;
  for (const m of text.matchAll(cued)) out.push(m[1]!);
  return uniq(out);
}

/** All identifiers of a text at once. */
export function extractIdentifiers(text: string): ExtractedIdentifiers {
  return {
    aktenzeichen: extractAktenzeichen(text),
    kassenzeichen: extractKassenzeichen(text),
    ticket: extractTickets(text),
    leitwegId: extractLeitwegIds(text),
    iban: extractIbans(text),
    ustId: extractUstIds(text),
    steuernummer: extractSteuernummern(text),
    kfzKennzeichen: extractKfzKennzeichen(text),
    dates: extractDates(text),
    amountsCents: extractAmounts(text),
  };
}
