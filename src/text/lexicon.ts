import { editDistance } from './edit-distance.ts';
import { stem } from './stem.ts';

/** Short words that may still be compound parts ("Ehe|schließung", "Bau|antrag", "Kfz|steuer"). */
const SHORT_PARTS = new Set(['ehe', 'amt', 'bau', 'kfz', 'tag', 'weg', 'rat', 'hof', 'tod', 'eid', 'zoo', 'see', 'gas', 'ort', 'rad']);
/** Fugenelemente (linking morphemes) allowed between compound parts. */
const LINKERS = ['s', 'es', 'n', 'en', 'e', 'er'];
const MIN_PART = 4;
/** Word endings after which a compound always takes the linking s (Fugen-s). */
const S_LINK = /(ung|heit|keit|schaft|tion|tat|ling|tum|sicht|arbeit)$/;
/** Common administrative word parts, so compounds split even when the catalog is small. */
const BASE_WORDS =
  'fuhrer fahrer antrag anmeldung abmeldung ummeldung meldung bescheinigung ausweis personal reise pass steuer hund hunde gewerbe fuhrung zeugnis geburt urkunde sterbe ehe schliessung wohnsitz wohnung fahrzeug schein fuhrer zulassung kennzeichen park bewohner sonder nutzung strasse schaden baum fallung veranstaltung plakat kinder tages statte betreuung brief wahl bau grund markt fund sache buro gebuhr kosten verlust beglaubigung wunsch kraft rad miet geld wohn melde register auszug kopie abschrift unterschrift namen name aufenthalt erlaubnis titel einburgerung fischerei waffe jagd lärm larm abfall mull sperr feuer wehr brauchtum haus halt verbot zone termin stelle amt stand standes schule bildung rente sozial hilfe leistung arbeit lohn steuer'.split(
    ' ',
  );

/**
 * The vocabulary of a catalog (folded surface words with frequencies). Used to split
 * compounds into known parts and to correct typos against words that really occur.
 *
 * @example
 * const lex = new Lexicon(); lex.addText(['hund', 'steuer', 'anmeldung']);
 * lex.split('hundesteuranmeldung') // ['hund', 'steuer', 'anmeldung']
 */
export class Lexicon {
  private readonly freq = new Map<string, number>();
  private readonly stems = new Set<string>();
  private byLength: Map<number, string[]> | null = null;
  private readonly splitCache = new Map<string, string[] | null>();
  private readonly correctCache = new Map<string, string | null>();
  private readonly headCache = new Map<string, string[] | null>();
  /** Extra known compound parts (e.g. a general noun list) – only for splitting, not for `has` or typo correction. */
  private readonly parts = new Set<string>();

  constructor(withBase = true) {
    if (withBase) for (const w of BASE_WORDS) this.add(w, 1);
  }

  /** Adds folded tokens (see `tokenize`). */
  addText(tokens: Iterable<string>): void {
    for (const t of tokens) this.add(t, 1);
  }

  add(word: string, count = 1): void {
    if (word.length < 3 || /\d/.test(word)) return;
    if (this.freq.has(word)) {
      this.freq.set(word, this.freq.get(word)! + count);
      return;
    }
    this.freq.set(word, (this.freq.get(word) ?? 0) + count);
    const s = stem(word);
    if (s.length >= MIN_PART) this.stems.add(s);
    this.byLength = null;
    this.splitCache.clear();
    this.correctCache.clear();
    this.headCache.clear();
  }

  /** Adds words that may be compound parts (folded, at least 5 letters), e.g. from a general noun list. */
  addParts(words: Iterable<string>): void {
    for (const w of words) if (w.length >= 5) this.parts.add(w);
    this.splitCache.clear();
    this.headCache.clear();
  }

  has(word: string): boolean {
    return this.freq.has(word);
  }

  /** True if some catalog word has this stem. */
  knowsStem(s: string): boolean {
    return this.stems.has(s);
  }

  /**
   * For a word that is not a compound of known words: its longest known head (the last
   * part of a German compound, at least 5 letters, after at least 4 letters), e.g.
   * "exportkennzeichen" → ["export", "kennzeichen"]. Null if none.
   */
  head(word: string): string[] | null {
    if (word.length < 9) return null;
    const cached = this.headCache.get(word);
    if (cached !== undefined) return cached;
    const r = this.headUncached(word);
    if (this.headCache.size > 100_000) this.headCache.clear();
    this.headCache.set(word, r);
    return r;
  }

  private headUncached(word: string): string[] | null {
    for (let i = 4; i <= word.length - 5; i++) {
      const h = word.slice(i);
      if (this.freq.has(h) || this.stems.has(h) || this.parts.has(h)) return [word.slice(0, i), h];
    }
    // No known head: the longest known modifier (a real word of at least 5 letters, then an
    // optional linking element) before an unknown head of at least 4 letters
    // ("fahrzeugexport" → fahrzeug | export).
    for (let i = word.length - 4; i >= 5; i--) {
      const m = word.slice(0, i);
      if (!this.freq.has(m)) continue;
      // The linking s is certain after these suffixes ("Zulassungsstelle"); other linkers are
      // ambiguous without knowing the head, so the rest is kept whole.
      const l = word[i] === 's' && S_LINK.test(m) ? 1 : 0;
      if (word.length - i - l >= 4) return [m, word.slice(i + l)];
    }
    return null;
  }

  frequency(word: string): number {
    return this.freq.get(word) ?? 0;
  }

  get size(): number {
    return this.freq.size;
  }

  private isPart(p: string): boolean {
    if (p.length < 3) return false;
    if (p.length === 3) return SHORT_PARTS.has(p);
    return this.freq.has(p) || this.stems.has(p) || this.parts.has(p);
  }

  /**
   * Splits a folded compound into known parts (at least two), or returns null.
   * Prefers few, long parts; linking morphemes (s, es, n, en, e, er) are dropped.
   */
  split(word: string): string[] | null {
    if (word.length < 7) return null;
    const cached = this.splitCache.get(word);
    if (cached !== undefined) return cached;
    const n = word.length;
    // best[i]: best split of word[i..] as { parts, cost }
    const best: ({ parts: string[]; cost: number } | null)[] = new Array(n + 1).fill(null);
    best[n] = { parts: [], cost: 0 };
    for (let i = n - 3; i >= 0; i--) {
      let cand: { parts: string[]; cost: number } | null = null;
      for (let j = i + 3; j <= n; j++) {
        if (i === 0 && j === n) continue; // the word itself is not a split
        const part = word.slice(i, j);
        if (!this.isPart(part)) continue;
        const tryRest = (k: number) => {
          const rest = best[k];
          if (!rest) return;
          if (k < n && rest.parts.length === 0) return;
          // cost: one per part, minus a bonus for long parts (prefer "ausweis" over "aus|weis").
          // Ties go to parts that are real words rather than stems ("führer|schein", not "führ|erschein").
          const cost = rest.cost + 1 - Math.min(part.length, 12) / 40 - (this.freq.has(part) ? 0.02 : 0);
          if (!cand || cost < cand.cost) cand = { parts: [part, ...rest.parts], cost };
        };
        tryRest(j);
        if (j < n) for (const l of LINKERS) if (word.startsWith(l, j) && j + l.length < n) tryRest(j + l.length);
      }
      best[i] = cand;
    }
    let r = best[0] && best[0].parts.length >= 2 ? best[0].parts : null;
    // Parts that are compounds themselves are split too; both levels are kept
    // ("hundesteuranmeldung" → hundesteuer, hunde, steuer, anmeldung).
    if (r) r = r.flatMap((p) => (p.length >= 7 && p !== word ? [p, ...(this.split(p) ?? [])] : [p]));
    if (this.splitCache.size > 100_000) this.splitCache.clear();
    this.splitCache.set(word, r);
    return r;
  }

  /**
   * The most frequent known word within edit distance 1 (words of 7–9 letters) or 2
   * (10 letters and more), or null. Shorter words are never corrected: too many everyday
   * words are one letter apart ("Wetter" / "weiter").
   */
  correct(word: string): string | null {
    if (word.length < 7 || this.freq.has(word)) return null;
    const cached = this.correctCache.get(word);
    if (cached !== undefined) return cached;
    if (!this.byLength) {
      this.byLength = new Map();
      for (const w of this.freq.keys()) {
        const l = this.byLength.get(w.length) ?? [];
        l.push(w);
        this.byLength.set(w.length, l);
      }
    }
    const max = word.length >= 10 ? 2 : 1;
    let bestWord: string | null = null;
    let bestD = max + 1;
    let bestF = 0;
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const w of this.byLength.get(len) ?? []) {
        if (w.length < 6) continue;
        // Cheap prefilter: the first or second letter must match (typos rarely hit both).
        if (w.charCodeAt(0) !== word.charCodeAt(0) && w.charCodeAt(1) !== word.charCodeAt(1)) continue;
        const d = editDistance(word, w, Math.min(max, bestD));
        const f = this.freq.get(w)!;
        if (d < bestD || (d === bestD && d <= max && f > bestF)) {
          bestD = d;
          bestWord = w;
          bestF = f;
        }
      }
    }
    const r = bestD <= max ? bestWord : null;
    if (this.correctCache.size > 50_000) this.correctCache.clear();
    this.correctCache.set(word, r);
    return r;
  }
}
