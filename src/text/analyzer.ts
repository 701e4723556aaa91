import { Lexicon } from './lexicon.ts';
import type { Thesaurus } from './thesaurus.ts';
import { tokenize } from './normalize.ts';
import { stem } from './stem.ts';
import { englishShare, isStopWord } from './stopwords.ts';
import { compileSynonyms, ENGLISH_BRIDGE, findSynonyms, GERMAN_SYNONYMS, WORD_FAMILIES, type SynonymIndex } from './synonyms.ts';
import { GAZETTEER } from './gazetteer.ts';

/** Where a query term came from; the weight reflects how sure we are it was meant. */
export type TermKind = 'word' | 'part' | 'synonym' | 'bridge' | 'typo' | 'related';

export interface AnalyzedTerm {
  /** The index term (folded, stemmed). */
  term: string;
  /** Query weight (1 for words the user typed). */
  weight: number;
  kind: TermKind;
  /** The folded word of the query it came from. */
  from: string;
}

export interface AnalyzeOptions {
  /** Factor for a separable verb joined from the question ("gebe … ab" → abgeben) and its synonyms (default JOINED_VERB_FACTOR). */
  joinedFactor?: number;
  /** Language of the text; English also enables English stop words and the bridge dictionary. Auto-detected when omitted. */
  lang?: 'de' | 'en';
  /** Catalog vocabulary for decompounding and typo correction. */
  lexicon?: Lexicon;
  /** Synonyms (default: the built-in German list). */
  synonyms?: SynonymIndex;
  /** English → German bridge (default: built-in). */
  bridge?: SynonymIndex;
  /** General thesaurus for weak expansion ('related' terms); only words the lexicon knows are added. Off when omitted. */
  thesaurus?: Thesaurus;
  /**
   * World knowledge (see `GAZETTEER`: country → ausland, month → monat), added as 'related'
   * terms with the synonym weight: they help ranking but do not "explain" a word the catalog
   * does not know (so "Hauptstadt von Frankreich" stays low-confidence). Off when omitted.
   */
  gazetteer?: SynonymIndex;
  /**
   * General English → German glossary (see `builtinGlossary`), used for English questions only,
   * for words the hand-written bridge does not cover: each German noun is added as a 'related'
   * term with weight 0.7 / √(number of translations), so it helps ranking but never "explains"
   * a word for the confidence. Off when omitted.
   */
  glossary?: SynonymIndex | (() => SynonymIndex);
  /** Factor on the glossary weight (experiments). */
  glossaryWeight?: number;
}

/**
 * Words that say what the citizen wants to know about a service (fees, documents, dates)
 * rather than which service: they count little for ranking.
 */
const INTENT_STEMS = new Set(['kost', 'kostet', 'gebuhr', 'preis', 'unterlag', 'dokument', 'termin', 'onlin', 'formular', 'antrag', 'beantrag', 'dau', 'dauert', 'offnungszeit', 'zustand', 'zustandig', 'fee', 'cost', 'document']);
const INTENT_FACTOR = 0.35;

/** Weights of derived terms relative to a typed word. */
export const TERM_WEIGHTS: Record<TermKind, number> = { word: 1, part: 0.6, synonym: 0.7, bridge: 1, typo: 0.8, related: 0.7 };

let defaultSynonyms: SynonymIndex | null = null;
let defaultBridge: SynonymIndex | null = null;
let defaultGazetteer: SynonymIndex | null = null;
/** The built-in gazetteer (countries, months), compiled once. */
export function builtinGazetteer(): SynonymIndex {
  return (defaultGazetteer ??= compileSynonyms(GAZETTEER));
}
/** The built-in German synonym list, compiled once. */
export function builtinSynonyms(): SynonymIndex {
  return (defaultSynonyms ??= compileSynonyms(WORD_FAMILIES, GERMAN_SYNONYMS));
}
/** The built-in English → German bridge, compiled once. */
export function builtinBridge(): SynonymIndex {
  return (defaultBridge ??= compileSynonyms(ENGLISH_BRIDGE));
}

/**
 * Terms for indexing a document field: folded, stop words removed, stemmed, and every
 * compound also indexed by its parts ("Hundesteuer" → hundesteuer, hund, steuer).
 * @example analyzeForIndex('Hundesteuer anmelden') // ['hundesteu', 'hund', 'steu', 'anmeld']
 */
export function analyzeForIndex(text: string, lexicon?: Lexicon): string[] {
  const out: string[] = [];
  for (const tok of tokenize(text)) {
    if (isStopWord(tok)) continue;
    out.push(stem(tok));
    const parts = lexicon?.split(tok);
    if (parts) for (const p of parts) out.push(stem(p));
  }
  return out;
}

// Separable prefixes only: inseparable ones (ver-, be-, er-) change the meaning (Verlust ≠ Lust).
// The base counts weakly, so noun cases (Nachweis → weis) cost little.
const VERB_PREFIXES = ['an', 'ab', 'um', 'aus', 'ein', 'zu', 'vor', 'nach', 'mit', 'weg', 'zuruck'];
/**
 * The base of a stem with a verb prefix ("anmeld" → "meld", "abmeld" → "meld"), so a
 * question with the bare or another prefixed verb still meets the service. Null if none.
 */
export function verbBase(s: string): string | null {
  for (const p of VERB_PREFIXES) if (s.startsWith(p) && s.length - p.length >= 4) return s.slice(p.length);
  return null;
}

/**
 * Like {@link analyzeForIndex} but keeps compound parts apart (`extra`), so the index can
 * count them less than whole words. Unknown compounds are split at their longest known head.
 * Accepts text or already folded tokens (see `tokenize`).
 */
export function analyzeFieldForIndex(text: string | string[], lexicon?: Lexicon): { terms: string[]; extra: string[] } {
  const terms: string[] = [];
  const extra: string[] = [];
  for (const tok of Array.isArray(text) ? text : tokenize(text)) {
    if (isStopWord(tok)) continue;
    const s = stem(tok);
    terms.push(s);
    const parts = lexicon ? (lexicon.split(tok) ?? lexicon.head(tok)) : null;
    if (parts) for (const p of parts) if (!isStopWord(p)) extra.push(stem(p));
    const base = verbBase(s);
    if (base) extra.push(base);
  }
  return { terms, extra };
}

/**
 * Particles of separable verbs that stand alone at the end of a clause in main clauses and
 * questions ("Wie melde ich meinen Hund **an**?" = anmelden). Most are stop words anyway; the
 * others ("weg", "zurück", "fest") must not count on their own once joined.
 */
const SEPARABLE_PARTICLES = new Set(['an', 'ab', 'auf', 'aus', 'bei', 'ein', 'fest', 'fort', 'her', 'hin', 'los', 'mit', 'nach', 'um', 'vor', 'weg', 'zu', 'zuruck', 'zusammen']);
/** Conjunctions that start a new clause ("Ich melde mich an **und** ziehe um"). */
const CLAUSE_STARTERS = new Set(['und', 'oder', 'aber', 'denn', 'sondern', 'weil', 'dass', 'wenn', 'ob', 'damit', 'bevor', 'nachdem', 'sobald', 'falls', 'obwohl', 'wahrend']);
/** Words that may follow the particle at the end of a clause ("… an, bitte?" / "… an bitte"). */
const CLAUSE_TAIL = new Set(['bitte']);
/** Endings of finite verb forms (present and weak past), longest first; '' = the bare stem. */
const FINITE_ENDINGS = ['test', 'tet', 'ten', 'est', 'te', 'st', 'et', 'en', 'e', 't', 'n', ''];

/**
 * The infinitive of particle + finite verb if the catalog knows that verb (as a word or by its
 * stem, e.g. "Anmeldung" → anmeld), else null. The finite form is reduced to candidate roots by
 * its regular endings ("melde", "meldet", "meldest" → meld; "zieht" → zieh; "wandern" → wander);
 * strong verbs with a vowel change ("gibt" → geben) are not joined.
 * @example joinSeparable('an', 'melde', lex) // 'anmelden' when the catalog says "anmelden" or "Anmeldung"
 */
export function joinSeparable(particle: string, verb: string, lexicon: Lexicon): string | null {
  if (!SEPARABLE_PARTICLES.has(particle) || SEPARABLE_PARTICLES.has(verb) || verb.length < 3) return null;
  for (const end of FINITE_ENDINGS) {
    if (!verb.endsWith(end)) continue;
    const root = verb.slice(0, verb.length - end.length);
    if (root.length < 3) continue;
    const inf = particle + root + (/[^aeiou](el|er)$/.test(root) ? 'n' : 'en');
    const s = stem(inf);
    // The joined stem must be longer than the particle's share, and known to the catalog.
    if (lexicon.has(inf) || (s.length > particle.length + 2 && lexicon.knowsStem(s))) return inf;
  }
  return null;
}

/**
 * Joins detached particles of separable verbs with their finite verb, clause by clause:
 * "Wie melde ich meinen Hund an?" → [wie, ich, meinen, hund, anmelden]. The particle must end
 * its clause (punctuation or a conjunction ends a clause; "bitte" may follow), the verb is the
 * first earlier word of the clause whose joined form the catalog knows (see
 * {@link joinSeparable}). The joined infinitive takes the particle's place (the usual infinitive
 * position, so phrases like "Auto anmelden" match), the finite verb is dropped. Prepositions
 * inside a clause ("an der Schule", "ab Montag") are never joined. `source[i]` is the index in
 * `tokens` that new token i comes from (the verb's for a joined infinitive).
 */
export function joinSeparableVerbs(text: string, tokens: string[], lexicon: Lexicon): { tokens: string[]; source: number[]; joined: string[] } {
  const identity = { tokens, source: tokens.map((_, i) => i), joined: [] as string[] };
  const raw = [...String(text ?? '').normalize('NFC').matchAll(/[\p{L}\p{N}]+/gu)];
  if (raw.length !== tokens.length || tokens.length < 2) return identity;
  // Clause boundaries: punctuation between two words, or a conjunction starting a clause.
  const starts: number[] = [0];
  for (let i = 1; i < raw.length; i++) {
    const prev = raw[i - 1]!;
    const between = text.slice(prev.index + prev[0].length, raw[i]!.index);
    if (/[.,;:!?()[\]"„“”–—\n]|\s-\s/.test(between) || CLAUSE_STARTERS.has(tokens[i]!)) starts.push(i);
  }
  starts.push(tokens.length);
  const drop = new Set<number>();
  const replace = new Map<number, { word: string; from: number }>();
  for (let c = 0; c + 1 < starts.length; c++) {
    const s = starts[c]!;
    let last = starts[c + 1]! - 1;
    while (last > s && CLAUSE_TAIL.has(tokens[last]!)) last--;
    const particle = tokens[last]!;
    if (!SEPARABLE_PARTICLES.has(particle)) continue;
    for (let j = s; j < last; j++) {
      if (CLAUSE_STARTERS.has(tokens[j]!)) continue;
      const inf = joinSeparable(particle, tokens[j]!, lexicon);
      if (!inf) continue;
      drop.add(j);
      replace.set(last, { word: inf, from: j });
      break;
    }
  }
  if (replace.size === 0) return identity;
  const out: string[] = [];
  const source: number[] = [];
  tokens.forEach((t, i) => {
    if (drop.has(i)) return;
    const r = replace.get(i);
    out.push(r ? r.word : t);
    source.push(r ? r.from : i);
  });
  return { tokens: out, source, joined: [...replace.values()].map((r) => r.word) };
}

/**
 * The joined separable verbs of a document text ("Sie holen ihn ab, sobald …" → ['abholen']),
 * so a service text and a question are read alike (`joinSeparableVerbs` on the question).
 * HTML tags end a clause. For index time: the joined forms are added, nothing is removed.
 */
export function separableVerbsInText(text: string, lexicon: Lexicon): string[] {
  const plain = String(text ?? '').replace(/<[^>]*>/g, ' . ');
  return joinSeparableVerbs(plain, tokenize(plain), lexicon).joined;
}

let familyMap: Map<string, string[]> | null = null;
/**
 * Word-family partners of a stem ("verlor" → ["verlust"], "austret" → ["austritt"]): only one-word
 * links of `WORD_FAMILIES`. Used for the title words in the title cover, so a service titled
 * "Verlorenes Fahrrad …" counts as named by a question that says "Verlust" or "geklaut" (→ Verlust)
 * – the query side already maps the other way.
 */
export function familyStems(s: string): string[] {
  if (!familyMap) {
    familyMap = new Map();
    for (const [key, values] of Object.entries(WORD_FAMILIES)) {
      const k = tokenize(key);
      if (k.length !== 1) continue;
      const ks = stem(k[0]!);
      for (const v of values) {
        const toks = tokenize(v);
        if (toks.length !== 1) continue;
        const vs = stem(toks[0]!);
        if (vs === ks) continue;
        const l = familyMap.get(ks) ?? [];
        if (!l.includes(vs)) l.push(vs);
        familyMap.set(ks, l);
      }
    }
  }
  return familyMap.get(s) ?? [];
}

/** Extra factor for a separable verb joined from the question, and for its synonyms. */
export const JOINED_VERB_FACTOR = 0.5;

/** Weight of a lower-case word in a German text that capitalises its nouns. */
const LOWER_CASE_FACTOR = 0.6;

/**
 * German capitalises nouns, and the nouns of a question usually name the service ("Pass",
 * "Führerschein"), while lower-case words are verbs, adjectives and fillers. When the writer
 * evidently capitalises (at least one capitalised word that does not start a sentence), a
 * lower-case word counts LOWER_CASE_FACTOR; otherwise (all lower-case typing) nothing changes.
 * Returns one factor per token of `tokenize(text)`, or null.
 */
function nounCue(text: string, count: number): number[] | null {
  const raw = [...String(text ?? '').normalize('NFC').matchAll(/[\p{L}\p{N}]+/gu)];
  if (raw.length !== count || count < 3) return null;
  let capsInside = 0;
  const factors = raw.map((m, i) => {
    const w = m[0];
    const before = text.slice(0, m.index).trimEnd();
    const sentenceStart = i === 0 || /[.!?:;"„(\n]$/.test(before);
    const upper = /^\p{Lu}/u.test(w);
    if (upper && !sentenceStart && !/^\p{Lu}+$/u.test(w)) capsInside++;
    return upper || sentenceStart || /^\p{N}/u.test(w) ? 1 : LOWER_CASE_FACTOR;
  });
  return capsInside > 0 ? factors : null;
}

/**
 * Analyses a query into weighted index terms: typed words, compound parts, synonym
 * expansions (colloquial → official), English → German bridge terms and typo
 * corrections against the catalog vocabulary. Duplicate terms keep their highest weight.
 *
 * @example
 * analyze('Perso verloren').map((t) => t.term) // includes 'perso', 'personalausweis', 'verlor', …
 */
export function analyze(text: string, opts: AnalyzeOptions = {}): AnalyzedTerm[] {
  const typed = tokenize(text);
  const lang = opts.lang ?? (englishShare(typed) >= 0.2 ? 'en' : 'de');
  const english = lang === 'en' || englishShare(typed) >= 0.2;
  const lex = opts.lexicon;
  // German separable verbs: "Wie melde ich meinen Hund an?" is analysed as "… Hund anmelden".
  const sep = !english && lex ? joinSeparableVerbs(text, typed, lex) : null;
  const tokens = sep ? sep.tokens : typed;
  // A joined verb tells siblings apart (anmelden/abmelden) but must not outweigh the object noun.
  const joinedAt = new Set<number>();
  if (sep) sep.tokens.forEach((t, i) => { if (t !== typed[sep.source[i]!]) joinedAt.add(i); });
  const jf = opts.joinedFactor ?? JOINED_VERB_FACTOR;
  const out = new Map<string, AnalyzedTerm>();
  const push = (word: string, kind: TermKind, from: string, factor = 1) => {
    if (isStopWord(word, english ? 'en' : 'de')) return;
    const term = stem(word);
    const weight = TERM_WEIGHTS[kind] * factor * (INTENT_STEMS.has(term) ? INTENT_FACTOR : 1);
    const prev = out.get(term);
    if (!prev || prev.weight < weight) out.set(term, { term, weight, kind, from });
  };

  // Synonym and bridge phrases are matched on the typed tokens (before typo correction)
  // and, for single words, on their corrections too.
  const corrected = tokens.map((t) => {
    if (!lex || isStopWord(t, english ? 'en' : 'de') || lex.has(t) || lex.knowsStem(stem(t)) || lex.split(t)) return t;
    return lex.correct(t) ?? t;
  });

  const bridged = new Set<number>();
  if (english) {
    for (const hit of findSynonyms(tokens, opts.bridge ?? builtinBridge())) {
      for (let i = hit.start; i < hit.end; i++) bridged.add(i);
      for (const w of hit.tokens) pushWord(w, 'bridge', tokens[hit.start]!);
    }
  }
  if (english && opts.glossary) {
    // (A function is called only here, so a German-only workload never loads the glossary.)
    const glossary = typeof opts.glossary === 'function' ? opts.glossary() : opts.glossary;
    const hits = findSynonyms(tokens, glossary).filter((h) => !bridged.has(h.start));
    const perStart = new Map<number, number>();
    for (const h of hits) perStart.set(h.start, (perStart.get(h.start) ?? 0) + 1);
    for (const h of hits) for (const w of h.tokens) push(w, 'related', tokens[h.start]!, (opts.glossaryWeight ?? 1) / Math.sqrt(perStart.get(h.start)!));
  }
  const syn = opts.synonyms ?? builtinSynonyms();
  const synHits = [...findSynonyms(tokens, syn), ...findSynonyms(corrected, syn)];
  for (const hit of synHits) {
    let f = 1;
    for (let i = hit.start; i < hit.end; i++) if (joinedAt.has(i)) f = jf;
    for (const w of hit.tokens) pushWord(w, 'synonym', tokens[hit.start]!, f);
  }
  // Synonyms of compound parts ("Krippenplatz" → Krippe → Kinderbetreuung), weaker.
  if (lex) {
    corrected.forEach((tok, i) => {
      const parts = lex.split(tok) ?? (lex.has(tok) ? null : lex.head(tok));
      if (!parts) return;
      for (const hit of findSynonyms(parts, syn)) for (const w of hit.tokens) push(w, 'synonym', tokens[i]!, TERM_WEIGHTS.part);
    });
  }

  const cue = english ? null : nounCue(text, typed.length);
  tokens.forEach((tok, i) => {
    const fixed = corrected[i]!;
    const f = (cue?.[sep ? sep.source[i]! : i] ?? 1) * (joinedAt.has(i) ? jf : 1);
    if (fixed !== tok) pushWord(fixed, 'typo', tok, f);
    else pushWord(tok, bridged.has(i) ? 'part' : 'word', tok, f);
  });

  function pushWord(word: string, kind: TermKind, from: string, factor = 1) {
    push(word, kind, from, factor);
    const base = verbBase(stem(word));
    if (base && !isStopWord(base)) push(base, 'part', from, 0.5);
    const parts = lex?.split(word) ?? (lex && !lex.has(word) ? lex.head(word) : null);
    if (parts) for (const p of parts) push(p, kind === 'word' ? 'part' : kind, from, (kind === 'word' ? 1 : TERM_WEIGHTS.part) * factor);
  }
  // Thesaurus expansion (weak): related words of the typed words, restricted to words the
  // catalog uses. Never overrides a stronger reading of the same term.
  if (opts.gazetteer) {
    for (const hit of findSynonyms(tokens, opts.gazetteer)) for (const w of hit.tokens) push(w, 'related', tokens[hit.start]!, TERM_WEIGHTS.synonym / TERM_WEIGHTS.related);
  }
  const th = opts.thesaurus;
  if (th && lex) {
    const known = (w: string) => lex.has(w) || lex.knowsStem(stem(w));
    const expandWord = (w: string, from: string, factor: number) => {
      if (isStopWord(w, english ? 'en' : 'de') || INTENT_STEMS.has(stem(w))) return;
      for (const r of th.expand(w)) if (known(r.word)) push(r.word, 'related', from, factor * r.weight);
    };
    // (Compound parts are not expanded: their senses are too loose, "kennzeichen" → Merkmal.)
    corrected.forEach((tok, i) => {
      if (english && !bridged.has(i) && !lex.has(tok)) return;
      expandWord(tok, tokens[i]!, 1);
    });
  }
  // Intent words ("kostet", "Unterlagen") select a field, not a service: when the question
  // names anything else, they hardly count for ranking.
  const all = [...out.values()];
  if (all.some((t) => !INTENT_STEMS.has(t.term) && t.kind !== 'part' && t.kind !== 'synonym' && t.kind !== 'related')) {
    for (const t of all) if (INTENT_STEMS.has(t.term) || (t.kind === 'synonym' && INTENT_STEMS.has(stem(t.from)))) t.weight *= 0.15;
  }
  return all;
}
