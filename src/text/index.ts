/**
 * German text analysis shared by every AI feature of Lotse (search, assistant, mailroom).
 * Pure functions, no I/O.
 *
 * @example
 * import { analyze, Lexicon, tokenize } from '../text/index.ts';
 * const lex = new Lexicon(); lex.addText(tokenize(catalogText));
 * analyze('Hundesteuer anmelden', { lexicon: lex });
 */
export { foldWord, normalize, tokenize } from './normalize.ts';
export { stem } from './stem.ts';
export { STOP_WORDS, isStopWord, englishShare } from './stopwords.ts';
export { editDistance } from './edit-distance.ts';
export { Lexicon } from './lexicon.ts';
export { Thesaurus, builtinThesaurus, builtinGlossary, builtinNounParts } from './thesaurus.ts';
export { compileSynonyms, findSynonyms, GERMAN_SYNONYMS, ENGLISH_BRIDGE, WORD_FAMILIES, type SynonymList, type SynonymIndex } from './synonyms.ts';
export { GAZETTEER } from './gazetteer.ts';
export { analyze, analyzeForIndex, analyzeFieldForIndex, familyStems, verbBase, joinSeparable, joinSeparableVerbs, separableVerbsInText, builtinBridge, builtinGazetteer, builtinSynonyms, TERM_WEIGHTS, type AnalyzedTerm, type AnalyzeOptions, type TermKind } from './analyzer.ts';

/**
 * Splits a folded word into known compound parts using the given lexicon, or returns
 * null when it is not a compound of known words.
 * @example decompound('hundesteuranmeldung', lex) // ['hunde', 'steuer', 'anmeldung']
 */
export function decompound(word: string, lexicon: import('./lexicon.ts').Lexicon): string[] | null {
  return lexicon.split(word);
}

// PII redaction and identifiers (owned by the mailroom work; re-exported for one entry point).
export * from './pii.ts';
export * from './identifiers.ts';
