/**
 * A second evidence check besides the search confidence: does the best service really talk
 * about what the question is about?
 *
 * German compounds carry their meaning in the whole word: "Hundesteuer" is not "Kfz-Steuer"
 * and not "Hundepass". When the question's compound is neither in the service (as a word or
 * through a synonym) nor fully covered by its parts, and nothing else specific of the question
 * matched, the hit is only a look-alike – the concept is missing from the catalog.
 */
import { analyze, isStopWord, stem, tokenize, type Lexicon, type SynonymIndex } from '../../text/index.ts';
import { detectAspect } from './compose.ts';

export const EVIDENCE_VERSION = 'compound-cover-1';

/** Words that say nothing about which service is meant (folded, as `tokenize` returns them). */
const GENERIC = new Set(
  (
    'hoch hohe hoher viel viele lange lang gross grosse klein kleine neu neue neuen neuer alt alte gut schnell heute morgen gestern jahr jahre jahren monat monate woche wochen ' +
    'stadt gemeinde amt amts behorde verwaltung rathaus burgerburo leute mensch menschen sache sachen frage fragen info infos information informationen hilfe bitte danke hallo ' +
    'beantragen beantrage beantragt antrag antrage bekommen bekomme kriegen kriege brauche brauchen benotige benotigen machen mache erledigen einreichen stellen ' +
    'city town office help please thanks question apply get need'
  ).split(' '),
);

export interface EvidenceCheck {
  /** The compound words of the question that the hit matched only in part. */
  partialCompounds: string[];
  /** Other specific words of the question the hit matched. */
  otherMatched: string[];
  lookAlike: boolean;
}

/**
 * @param matchedTerms index terms the best hit matched (from the catalog search)
 * @example checkEvidence('Wo bekomme ich einen Angelschein?', ['schein'], index, 'de').lookAlike === true
 */
export function checkEvidence(
  question: string,
  matchedTerms: string[],
  vocab: { lexicon: Lexicon; synonyms?: SynonymIndex; bridge?: SynonymIndex },
  lang: 'de' | 'en',
  placeNames: string[] = [],
): EvidenceCheck {
  const matched = new Set(matchedTerms);
  const places = new Set(placeNames.flatMap((p) => tokenize(p)));
  // Same analysis as the search (town synonyms included), so "covered" means what the search meant.
  const terms = analyze(question, { lexicon: vocab.lexicon, lang, ...(vocab.synonyms ? { synonyms: vocab.synonyms } : {}), ...(vocab.bridge ? { bridge: vocab.bridge } : {}) });
  // Per typed word: is it covered by itself or a synonym / bridge / typo term, and which of its
  // compound parts matched?
  const byWord = new Map<string, { covered: boolean; parts: number; partHits: number }>();
  for (const t of terms) {
    const e = byWord.get(t.from) ?? { covered: false, parts: 0, partHits: 0 };
    if (t.kind === 'part') {
      e.parts++;
      if (matched.has(t.term)) e.partHits++;
    } else if (matched.has(t.term)) e.covered = true;
    byWord.set(t.from, e);
  }
  const partialCompounds: string[] = [];
  const otherMatched: string[] = [];
  for (const tok of new Set(tokenize(question))) {
    if (isStopWord(tok, lang) || GENERIC.has(tok) || places.has(tok) || detectAspect(tok)) continue;
    const e = byWord.get(tok) ?? { covered: matched.has(stem(tok)), parts: 0, partHits: 0 };
    // Short words count only through a matched synonym/bridge phrase ("ID card" → Personalausweis).
    if (tok.length < 4 && !e.covered) continue;
    if (e.covered || matched.has(stem(tok)) || (e.parts >= 2 && e.partHits === e.parts)) otherMatched.push(tok);
    else if (e.partHits > 0) partialCompounds.push(tok);
  }
  // Nothing specific of the question is in the hit: it matched only generic words or parts of a
  // compound ("Angelschein" → "Führerschein").
  return { partialCompounds, otherMatched, lookAlike: otherMatched.length === 0 };
}
