/**
 * PII redaction for assistant input (question, feedback comment, handover message context).
 * Runs BEFORE anything is stored, logged or sent to a model. Conservative on purpose: a
 * false positive costs one word of a question, a false negative stores personal data.
 *
 * (Local to the assistant until `src/text/pii.ts` exists; same idea, no dependency.)
 */

export type PiiKind = 'email' | 'iban' | 'phone' | 'birthdate' | 'name' | 'address';

export interface RedactionResult {
  text: string;
  /** Kinds found (each once), for the "we removed …" notice. */
  found: PiiKind[];
}

const PLACEHOLDER: Record<PiiKind, string> = {
  email: '[E-Mail entfernt]',
  iban: '[IBAN entfernt]',
  phone: '[Telefonnummer entfernt]',
  birthdate: '[Geburtsdatum entfernt]',
  name: '[Name entfernt]',
  address: '[Adresse entfernt]',
};

const DATE = String.raw`(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+(?:Jan(?:uar)?|Feb(?:ruar)?|März|Mär|Apr(?:il)?|Mai|Juni?|Juli?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Okt(?:ober)?|Nov(?:ember)?|Dez(?:ember)?|January|February|March|May|June|July|October|December)\s+\d{4}|\d{1,2}\/\d{1,2}\/\d{2,4})`;
const NAME_WORD = String.raw`[A-ZÄÖÜ][a-zäöüßéèáàç'-]+`;
const STREET_SUFFIX = String.raw`(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|pfad|steig|markt|graben|wall|berg|hof)`;

/** Ordered: the most specific patterns first, so an IBAN is not half-eaten as a phone number. */
const RULES: { kind: PiiKind; re: RegExp; keepGroup?: boolean }[] = [
  { kind: 'email', re: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu },
  { kind: 'iban', re: /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?\b/gi },
  // Birth dates: a date next to a birth word (plain dates like a deadline stay).
  {
    kind: 'birthdate',
    re: new RegExp(String.raw`((?:geboren|geb\.|Geburtsdatum|Geburtstag|geb\.\s*am|born|date of birth|DOB|birthday)\s*(?:am|on|ist|is|:)?\s*)${DATE}`, 'gi'),
    keepGroup: true,
  },
  // Names only after explicit introductions; "ich bin umgezogen" must stay.
  {
    kind: 'name',
    re: new RegExp(String.raw`((?:ich\s+hei(?:ß|ss)e|mein\s+Name\s+ist|mein\s+Name\s+lautet|my\s+name\s+is|I\s+am\s+called|hier\s+(?:spricht|schreibt)|Name\s*:)\s+)(?:(?:Dr\.|Frau|Herr|Mr\.?|Mrs\.?|Ms\.?)\s+)?${NAME_WORD}(?:[ -]${NAME_WORD}){0,2}`, 'giu'),
    keepGroup: true,
  },
  // Street + house number ("Hauptstraße 12a", "Am Münster 9", "Lange Str. 3"), optional postcode + town.
  {
    kind: 'address',
    re: new RegExp(
      String.raw`(?:\b[A-ZÄÖÜ][\p{L}-]*${STREET_SUFFIX}|\b(?:Am|An der|An den|Auf dem|Im|In der|Zum|Zur|Hinter der|Unter den)\s+[A-ZÄÖÜ][\p{L}-]+|\b[A-ZÄÖÜ][\p{L}-]+\s+${STREET_SUFFIX})\s+\d{1,4}(?:\s?[a-zA-Z]\b)?(?:,?\s*\d{5}\s+[A-ZÄÖÜ][\p{L}-]+)?`,
      'gu',
    ),
  },
  // Phone numbers: +49 / 0049 / leading 0 with at least 7 digits in total (so amounts, years
  // and postcodes stay).
  { kind: 'phone', re: /(?:(?:\+|00)\d{2}[\s/-]?(?:\(0\)\s?)?\d{2,5}|\(?\b0\d{2,5}\)?)[\s/-]?\d(?:[\s-]?\d){3,9}\b/g },
];

function digitCount(s: string): number {
  return (s.match(/\d/g) ?? []).length;
}

/**
 * Replaces personal data in free text with labelled placeholders.
 * @example redactPii('Ich heiße Anna Muster, Tel. 0176 1234567').text
 *   === 'Ich heiße [Name entfernt], Tel. [Telefonnummer entfernt]'
 */
export function redactPii(input: string): RedactionResult {
  let text = input;
  const found = new Set<PiiKind>();
  for (const rule of RULES) {
    text = text.replace(rule.re, (match: string, ...rest: unknown[]) => {
      if (rule.kind === 'phone' && digitCount(match) < 7) return match;
      if (rule.kind === 'iban' && digitCount(match) < 10) return match;
      found.add(rule.kind);
      const prefix = rule.keepGroup && typeof rest[0] === 'string' ? rest[0] : '';
      return prefix + PLACEHOLDER[rule.kind];
    });
  }
  return { text, found: [...found] };
}

/** German labels for the notice shown to the citizen. */
export const PII_LABELS: Record<PiiKind, { de: string; en: string }> = {
  email: { de: 'E-Mail-Adresse', en: 'e-mail address' },
  iban: { de: 'IBAN', en: 'IBAN' },
  phone: { de: 'Telefonnummer', en: 'phone number' },
  birthdate: { de: 'Geburtsdatum', en: 'date of birth' },
  name: { de: 'Name', en: 'name' },
  address: { de: 'Adresse', en: 'address' },
};
