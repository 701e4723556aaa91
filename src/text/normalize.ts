/**
 * Normalisation and tokenising for German (and English) search text.
 *
 * Folding is symmetric: the same function runs on indexed text and on queries, so
 * "Führerschein", "Fuehrerschein" and "Fuhrerschein" all become `fuhrerschein`, and
 * "Straße"/"Strasse" both become `strasse`.
 */

const UMLAUT: Record<string, string> = { ä: 'a', ö: 'o', ü: 'u', ß: 'ss', à: 'a', á: 'a', â: 'a', é: 'e', è: 'e', ê: 'e', ë: 'e', í: 'i', ì: 'i', î: 'i', ï: 'i', ó: 'o', ò: 'o', ô: 'o', ú: 'u', ù: 'u', û: 'u', ç: 'c', ñ: 'n' };

/**
 * Lower-cases and folds a single word: umlauts and their transliterations (ae, oe, ue)
 * map to the plain vowel, ß to ss, accents are dropped. Idempotent.
 * @example foldWord('Gebühr') === foldWord('Gebuehr') // both 'gebuhr'
 */
const foldCache = new Map<string, string>();

export function foldWord(word: string): string {
  const hit = foldCache.get(word);
  if (hit !== undefined) return hit;
  const r = foldUncached(word);
  if (foldCache.size > 300_000) foldCache.clear();
  foldCache.set(word, r);
  return r;
}

function foldUncached(word: string): string {
  let w = word.toLowerCase().replace(/[äöüßàáâéèêëíìîïóòôúùûçñ]/g, (ch) => UMLAUT[ch] ?? ch);
  // ae/oe/ue → a/o/u, but not "que" (Quelle) and not after a vowel: there "ue" is no umlaut
  // but a diphthong plus e ("blaue", "neue", "Steuer", "Dauer" – else "neuen" became "neun" and
  // "Steuern" no longer met "Steuer" after stemming).
  // Repeat until stable so the function is idempotent ("aee" → "ae" → "a").
  for (let prev = ''; prev !== w; ) {
    prev = w;
    w = w.replace(/(?<![qaeiouy])([aou])e/g, '$1');
  }
  return w;
}

/**
 * Unicode-normalises, lower-cases and folds a whole text (see {@link foldWord}).
 * Non-letter/digit characters become single spaces. Idempotent.
 * @example normalize('Hundesteuer-Anmeldung!') === 'hundesteuer anmeldung' 
 */
export function normalize(text: string): string {
  return tokenize(text).join(' ');
}

/**
 * Splits text into folded word tokens (runs of letters/digits). Hyphenated words are
 * split ("Kfz-Zulassung" → kfz, zulassung).
 */
export function tokenize(text: string): string[] {
  const raw = String(text ?? '')
    .normalize('NFC')
    .match(/[\p{L}\p{N}]+/gu);
  if (!raw) return [];
  const out: string[] = [];
  for (const r of raw) {
    const f = foldWord(r);
    if (f) out.push(f);
  }
  return out;
}
