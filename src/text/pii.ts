/**
 * Detection and masking of personal data in free text (German), for logs, statistics,
 * training exports and prompts. Rule based and deliberately eager: a masked harmless
 * word costs little, a leaked address costs a lot.
 *
 * @example
 * redactPII('Mail an anna@example.org, Tel. 05551 123456').text
 * // 'Mail an [E-MAIL], Tel. [TELEFON]'
 */
import { isValidIban } from './identifiers.ts';

export type PiiKind = 'email' | 'phone' | 'iban' | 'birthdate' | 'name' | 'address' | 'plate' | 'taxid' | 'idcard';

export interface RedactionResult {
  text: string;
  found: { kind: PiiKind; count: number }[];
}

export const PII_PLACEHOLDER: Record<PiiKind, string> = {
  email: '[E-MAIL]',
  phone: '[TELEFON]',
  iban: '[IBAN]',
  birthdate: '[GEBURTSDATUM]',
  name: '[NAME]',
  address: '[ADRESSE]',
  plate: '[KENNZEICHEN]',
  taxid: '[STEUER-ID]',
  idcard: '[AUSWEISNUMMER]',
};

/**
 * Steuerliche Identifikationsnummer (§ 139b AO): 11 digits, no leading 0, in the first ten
 * digits exactly one digit occurs twice or three times (all others at most once), last digit
 * is the ISO 7064 MOD 11,10 check digit (BZSt specification).
 * @example isValidSteuerId('86095742719') === true
 */
export function isValidSteuerId(value: string): boolean {
  const d = value.replace(/[\s/.-]/g, '');
  if (!/^[1-9]\d{10}$/.test(d)) return false;
  const counts = new Map<string, number>();
  for (const ch of d.slice(0, 10)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const repeated = [...counts.values()].filter((n) => n > 1);
  if (repeated.length !== 1 || repeated[0]! > 3) return false;
  let product = 10;
  for (const ch of d.slice(0, 10)) {
    let sum = (Number(ch) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = (11 - product) % 10;
  return check === Number(d[10]);
}

/** Characters allowed in serial numbers of German ID cards and passports (no vowels, no B/D/Q/S). */
const DOC_CHARS = 'CFGHJKLMNPRTVWXYZ0123456789';

/** ICAO 9303 check digit (weights 7-3-1) over digits and letters (A=10 … Z=35). */
export function icaoCheckDigit(value: string): number {
  const w = [7, 3, 1];
  let sum = 0;
  for (const [i, ch] of [...value.toUpperCase()].entries()) {
    const v = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += v * w[i % 3]!;
  }
  return sum % 10;
}

/**
 * Serial number of a German Personalausweis (since 2010) or Reisepass (since 2007): nine
 * characters from the document alphabet, starting with a letter, with at least two digits and
 * at least two letters (so words and plain numbers never match). A tenth character (as in the
 * machine-readable zone) is accepted only when it is the correct ICAO check digit.
 * @example isGermanDocumentNumber('L01X00T47') === true
 */
export function isGermanDocumentNumber(value: string): boolean {
  const v = value.toUpperCase();
  if (v.length !== 9 && v.length !== 10) return false;
  const serial = v.slice(0, 9);
  if (![...serial].every((ch) => DOC_CHARS.includes(ch))) return false;
  if (!/^[CFGHJKLMNPRTVWXY]/.test(serial)) return false;
  if ((serial.match(/\d/g) ?? []).length < 2 || (serial.match(/[A-Z]/g) ?? []).length < 2) return false;
  return v.length === 9 || icaoCheckDigit(serial) === Number(v[9]);
}

const NAME_WORD = String.raw`[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?`;
const NAME = String.raw`${NAME_WORD}(?:\s+(?:von\s+|van\s+|de\s+)?${NAME_WORD}){0,2}`;
const STREET_SUFFIX = String.raw`(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad|markt|wall|graben|hof|berg|feld|kamp|twete|brücke)`;
const DATE = String.raw`\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)?\d{2}|\d{1,2}\.\s?[A-ZÄÖÜ][a-zä]+\.?\s+(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}`;

interface Rule {
  kind: PiiKind;
  re: RegExp;
  /** Group whose text is replaced (default: whole match). */
  group?: number;
  accept?: (m: string) => boolean;
}

// Order matters: specific, unambiguous patterns first, so later ones do not eat their parts.
const RULES: Rule[] = [
  { kind: 'email', re: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu },
  {
    kind: 'iban',
    re: /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b/g,
    accept: (m) => {
      const c = m.replace(/\s/g, '');
      for (let l = c.length; l >= 15; l--) if (isValidIban(c.slice(0, l))) return true;
      return false;
    },
  },
  {
    kind: 'birthdate',
    re: new RegExp(String.raw`(?:geb(?:oren)?\.?(?:\s+am)?|Geburtsdatum|Geb\.-Datum|\*)\s*:?\s*(${DATE})`, 'gu'),
    group: 1,
  },
  {
    kind: 'taxid',
    re: /(?<![\p{L}\d.,/-])[1-9]\d(?:[ ]?\d{3}){3}(?![\p{L}\d]|[.,]\d)/gu,
    accept: isValidSteuerId,
  },
  {
    kind: 'idcard',
    re: /(?<![\p{L}\d-])[CFGHJKLMNPRTVWXY][CFGHJKLMNPRTVWXYZ\d]{8}\d?(?![\p{L}\d])/giu,
    accept: isGermanDocumentNumber,
  },
  { kind: 'plate', re: /(?<![\p{L}\d-])[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}[ -]?\d{1,4}[EH]?(?![\p{L}\d])/gu },
  { kind: 'plate', re: /(?<=(?:Kennzeichen|Kfz|Kz\.?|amtl\.)[:.]?\s{1,3})[A-ZÄÖÜ]{1,3}[ -][A-Z]{1,2}[ -]?\d{1,4}[EH]?(?![\p{L}\d])/gu },
  {
    kind: 'phone',
    re: /(?<![\w+])(?:\+\d{2}|00\d{2}|0)[\d ()/-]{5,18}\d(?![\d])/g,
    accept: (m) => {
      const digits = m.replace(/\D/g, '');
      // Dates, amounts and postcodes are not phone numbers.
      return digits.length >= 7 && digits.length <= 15 && !/^\d{1,2}\.\d{1,2}\./.test(m);
    },
  },
  {
    kind: 'address',
    re: new RegExp(String.raw`(?:[A-ZÄÖÜ][\p{L}-]*${STREET_SUFFIX}|[A-ZÄÖÜ][\p{L}-]+\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Chaussee|Ufer)|(?:Am|An der|An den|Auf dem|Auf der|Im|In der|Zum|Zur|Hinter der|Unter den)\s+[A-ZÄÖÜ][\p{L}-]+)\s+\d{1,4}(?:\s?[a-zA-Z](?![\p{L}]))?(?![\d])(?:,?\s+\d{5}\s+[A-ZÄÖÜ][\p{L}-]+)?`, 'gu'),
  },
  { kind: 'address', re: /(?<![\d])\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:\s[A-ZÄÖÜ][a-zäöüß]+)?(?=[\s,.\n]|$)/gu },
  {
    kind: 'name',
    re: new RegExp(String.raw`(?:\b(?:Herrn?|Frau|Fr\.|Hr\.|Familie|Dr\.?|Mrs?\.?|Ms\.?|Miss|Mister|Missus|[Mm]y name is|Name:?|[Mm]ein Name ist|[Ii]ch hei(?:ß|ss)e|Absender:?|Nachbar(?:in)?|Mieter(?:in)?|Inhaber(?:in)?)\s+)(?:(?:Dr\.|Prof\.)\s+)?(${NAME})`, 'gu'),
    group: 1,
  },
  {
    // A signature after the closing formula: "Mit freundlichen Grüßen\nAnna Beispiel".
    kind: 'name',
    re: new RegExp(String.raw`(?:Gr(?:ü|ue)(?:ß|ss)en?|Gru(?:ß|ss)|Grüße|Dank(?:e)?|Viele Grüße|Beste Grüße|MfG|LG)[,!.]?\s*\n\s*(${NAME})`, 'gu'),
    group: 1,
  },
];

/**
 * Finds personal data and replaces it with placeholders like `[E-MAIL]`.
 * Returns the masked text and how often each kind was found (never the values).
 */
export function redactPII(input: string): RedactionResult {
  let text = input;
  const counts = new Map<PiiKind, number>();
  for (const rule of RULES) {
    text = text.replace(rule.re, (...args: unknown[]) => {
      const match = args[0] as string;
      const target = rule.group ? (args[rule.group] as string | undefined) : match;
      if (!target || target.startsWith('[')) return match;
      if (rule.accept && !rule.accept(target)) return match;
      counts.set(rule.kind, (counts.get(rule.kind) ?? 0) + 1);
      if (!rule.group) return PII_PLACEHOLDER[rule.kind];
      const at = match.lastIndexOf(target);
      return match.slice(0, at) + PII_PLACEHOLDER[rule.kind] + match.slice(at + target.length);
    });
  }
  return { text, found: [...counts].map(([kind, count]) => ({ kind, count })) };
}

/** True if any personal data is detected. */
export function containsPII(text: string): boolean {
  return redactPII(text).found.length > 0;
}
