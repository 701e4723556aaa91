/**
 * ISO 7064 MOD 97-10 check digits, as used by IBAN and the German Leitweg-ID.
 * Letters count as two digits (A = 10 … Z = 35).
 */

/** Remainder of a digit/letter string modulo 97 (letters expanded A=10…Z=35). */
export function mod97(input: string): number {
  let rest = 0;
  for (const ch of input.toUpperCase()) {
    const code = ch.charCodeAt(0);
    let digits: string;
    if (code >= 48 && code <= 57) digits = ch;
    else if (code >= 65 && code <= 90) digits = String(code - 55);
    else return NaN;
    for (const d of digits) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest;
}

/** Two check digits so that `body + digits` is ≡ 1 (mod 97). */
export function mod97CheckDigits(body: string): string {
  const r = mod97(`${body}00`);
  return String(98 - r).padStart(2, '0');
}

/** IBAN lengths of the SEPA countries (others: 15–34 accepted). */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27, GB: 22,
  GI: 23, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18,
  NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27, VA: 22,
};

/** Removes spaces; upper-cases. */
export const normalizeIban = (iban: string): string => iban.replace(/\s+/g, '').toUpperCase();

/** True when the string looks like an IBAN at all (country code + 2 digits + alphanumerics). */
export const looksLikeIban = (s: string): boolean => /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(normalizeIban(s));

/**
 * Checks an IBAN: form, country length and MOD 97-10 checksum.
 * @example isValidIban('DE02 1203 0000 0000 2020 51') === true
 */
export function isValidIban(iban: string): boolean {
  const s = normalizeIban(iban);
  if (!looksLikeIban(s)) return false;
  const len = IBAN_LENGTH[s.slice(0, 2)];
  if (len !== undefined && s.length !== len) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

/** Leitweg-ID: Grobadressierung (2–12 digits) - optional Feinadressierung (≤ 30 alphanumerics) - 2 check digits. */
export const LEITWEG_ID_PATTERN = /^(\d{2,12})(?:-([A-Za-z0-9]{1,30}))?-(\d{2})$/;

/** True when a buyer reference has the outer form of a Leitweg-ID (starts with digits and a hyphen). */
export const looksLikeLeitwegId = (s: string): boolean => /^\d{2,12}-[A-Za-z0-9-]*\d$/.test(s.trim());

export type LeitwegCheck = { ok: true } | { ok: false; problem: 'format' | 'checkDigits'; expected?: string };

/**
 * Validates a Leitweg-ID (KoSIT "Formatspezifikation Leitweg-ID" 2.0): form and MOD 97-10 check digits over
 * Grob- and Feinadressierung without hyphens (letters as in IBAN).
 * @example checkLeitwegId('031550011011-0-76') → { ok: true }
 */
export function checkLeitwegId(id: string): LeitwegCheck {
  const s = id.trim();
  const m = LEITWEG_ID_PATTERN.exec(s);
  if (!m || s.length > 46) return { ok: false, problem: 'format' };
  const body = `${m[1]}${m[2] ?? ''}`;
  const expected = mod97CheckDigits(body);
  return expected === m[3] ? { ok: true } : { ok: false, problem: 'checkDigits', expected };
}
