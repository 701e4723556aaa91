/**
 * PII redaction for assistant input (question, feedback comment, handover context).
 * Runs BEFORE anything is stored, logged or sent to a model.
 *
 * Uses the shared German rules of `src/text/pii.ts` and adds what a chat in two languages
 * needs on top: English introductions ("my name is …") and English birth dates
 * ("born on 01/02/1990").
 */
import { PII_PLACEHOLDER, redactPII, type PiiKind } from '../../text/pii.ts';

export type { PiiKind };

export interface RedactionResult {
  text: string;
  /** Kinds found (each once), for the "we removed …" notice. */
  found: PiiKind[];
}

const DATE = String.raw`(?:\d{1,2}[./]\s?\d{1,2}[./]\s?(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember)\s+\d{4}|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4})`;
const NAME_WORD = String.raw`[A-ZÄÖÜ][a-zäöüßéèáàç'-]+`;

const EXTRA_RULES: { kind: PiiKind; re: RegExp }[] = [
  {
    kind: 'birthdate',
    re: new RegExp(String.raw`((?:born|date of birth|DOB|birthday|geboren|geb\.|Geburtsdatum|Geburtstag)\s*(?:am|on|ist|is|:)?\s*)${DATE}`, 'gi'),
  },
  {
    kind: 'name',
    re: new RegExp(String.raw`((?:[Mm]y\s+name\s+is|[Mm]y\s+name's|I\s+am\s+called|[Cc]all\s+me|[Mm]ein\s+Name\s+lautet|[Ii]ch\s+hei(?:ß|ss)e)\s+)(?:(?:Dr\.|Mr\.?|Mrs\.?|Ms\.?|Frau|Herr)\s+)?${NAME_WORD}(?:[ -]${NAME_WORD}){0,2}`, 'gu'),
  },
];

/**
 * Replaces personal data in free text with placeholders such as `[NAME]`.
 * @example redactPii('Ich heiße Anna Muster, Tel. 0176 1234567').text
 *   === 'Ich heiße [NAME], Tel. [TELEFON]'
 */
export function redactPii(input: string): RedactionResult {
  let text = input;
  const found = new Set<PiiKind>();
  for (const rule of EXTRA_RULES) {
    text = text.replace(rule.re, (_m: string, prefix: string) => {
      found.add(rule.kind);
      return prefix + PII_PLACEHOLDER[rule.kind];
    });
  }
  const shared = redactPII(text);
  for (const f of shared.found) found.add(f.kind);
  return { text: shared.text, found: [...found] };
}

/** Labels for the notice shown to the citizen. */
export const PII_LABELS: Record<PiiKind, { de: string; en: string }> = {
  email: { de: 'E-Mail-Adresse', en: 'e-mail address' },
  iban: { de: 'IBAN', en: 'IBAN' },
  phone: { de: 'Telefonnummer', en: 'phone number' },
  birthdate: { de: 'Geburtsdatum', en: 'date of birth' },
  name: { de: 'Name', en: 'name' },
  address: { de: 'Adresse', en: 'address' },
  plate: { de: 'Kfz-Kennzeichen', en: 'licence plate' },
  taxid: { de: 'Steuer-Identifikationsnummer', en: 'tax ID' },
  idcard: { de: 'Ausweis- oder Passnummer', en: 'ID card or passport number' },
};
