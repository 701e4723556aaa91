/**
 * Checks model-phrased sentences against the retrieved source texts (no model needed):
 * every number/amount in a sentence must occur in the sources, and most of its content
 * words must too. Unverifiable sentences are dropped by the caller.
 */

export const VERIFIER_VERSION = 'overlap-numbers-1';

/** Minimum share of a sentence's content words found in the sources. */
export const MIN_OVERLAP = 0.6;

const ABBREVIATIONS = ['z. B.', 'z.B.', 'u. a.', 'u.a.', 'd. h.', 'd.h.', 'ca.', 'Nr.', 'bzw.', 'usw.', 'etc.', 'Str.', 'inkl.', 'ggf.', 'evtl.', 'vgl.', 'Abs.', 'Art.', 'gem.', 'e.g.', 'i.e.', 'St.', 'Dr.'];

const STOP = new Set(
  (
    'aber alle allem allen aller alles also auch auf aus bei beim bin bis bitte dann das dass dem den der des die dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einmal oder es für gibt haben hat hier ich ihr ihre ihren im in ist ja kann kein keine können man mit muss müssen nach nicht noch nur ob oder sich sie sind so über um und uns unter vom von vor war was weil welche wenn werden wird wie wir wo zu zum zur sowie sowohl werden wurden ihnen ihrem ihrer sollten sollen damit dabei dafür hierfür'
  ).split(' '),
);

function fold(w: string): string {
  return w.toLowerCase().replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u').replace(/ß/g, 'ss');
}

/** Cheap stem: first 6 letters of the folded word (enough to match inflections). */
function stemKey(w: string): string {
  return fold(w).slice(0, 6);
}

/** Content words of a text (letters only, ≥ 4 chars, no stop words), as stem keys. */
export function contentKeys(text: string): string[] {
  return (text.match(/\p{L}+/gu) ?? []).filter((w) => w.length >= 4 && !STOP.has(w.toLowerCase())).map(stemKey);
}

/** Numbers in canonical form: "37,00" → "37", "1.234,50" → "1234.5", "08:00" → "8:00". */
export function numbersOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\d+(?:[.:,]\d+)*/g)) {
    let n = m[0];
    if (/^\d{1,2}:\d{2}$/.test(n)) {
      out.push(n.replace(/^0(\d)/, '$1'));
      continue;
    }
    // German thousands dot / decimal comma.
    if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(n)) n = n.replace(/\./g, '');
    n = n.replace(',', '.');
    if (/^\d+\.\d+$/.test(n)) n = String(Number(n));
    else if (/^\d+$/.test(n)) n = String(Number(n));
    out.push(n);
  }
  return out;
}

/** Splits text into sentences, keeping common German abbreviations intact. */
export function splitSentences(text: string): string[] {
  let t = text.replace(/\r/g, '');
  ABBREVIATIONS.forEach((a, i) => {
    t = t.split(a).join(`\uE000${i}\uE000`);
  });
  const parts = t
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\d"„(])|\n+/u)
    .map((s) => s.replace(/\uE000(\d+)\uE000/g, (_, i: string) => ABBREVIATIONS[Number(i)]!).trim())
    .map((s) => s.replace(/^[-*•]\s*/, ''))
    .filter((s) => /\p{L}/u.test(s));
  return parts;
}

export interface SentenceCheck {
  sentence: string;
  ok: boolean;
  overlap: number;
  unknownNumbers: string[];
}

/** Prepared source side (build once per answer). */
export interface SourceIndex {
  keys: Set<string>;
  numbers: Set<string>;
}

export function indexSources(texts: string[]): SourceIndex {
  const joined = texts.join('\n');
  return { keys: new Set(contentKeys(joined)), numbers: new Set(numbersOf(joined)) };
}

/**
 * Verifies one sentence against the sources.
 * @example checkSentence('Der Pass kostet 99 Euro.', indexSources(['Gebühr: 37,50 Euro'])).ok === false
 */
export function checkSentence(sentence: string, src: SourceIndex): SentenceCheck {
  const unknownNumbers = numbersOf(sentence).filter((n) => !src.numbers.has(n));
  const keys = contentKeys(sentence);
  const hits = keys.filter((k) => src.keys.has(k)).length;
  const overlap = keys.length ? hits / keys.length : 0;
  return { sentence, ok: unknownNumbers.length === 0 && keys.length > 0 && overlap >= MIN_OVERLAP, overlap, unknownNumbers };
}

/** Verifies every sentence; returns the kept sentences and the checks. */
export function verifyText(text: string, sources: string[]): { kept: string[]; checks: SentenceCheck[] } {
  const src = indexSources(sources);
  const checks = splitSentences(text).map((s) => checkSentence(s, src));
  return { kept: checks.filter((c) => c.ok).map((c) => c.sentence), checks };
}
