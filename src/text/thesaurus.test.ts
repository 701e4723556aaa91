import { describe, expect, it } from 'vitest';
import { analyze } from './analyzer.ts';
import { Lexicon } from './lexicon.ts';
import { tokenize } from './normalize.ts';
import { builtinGlossary, builtinNounParts, builtinThesaurus, Thesaurus } from './thesaurus.ts';
import { compileSynonyms, findSynonyms } from './synonyms.ts';

describe('Thesaurus', () => {
  it('expands a word by its synsets, weighted by ambiguity, and matches inflected forms by stem', () => {
    const th = Thesaurus.fromLines(['# comment', 'heirat;hochzeit;eheschliessung', 'adresse;anschrift', 'adresse;rede']);
    expect(th.size).toBe(3);
    expect(th.expand('hochzeit').map((e) => e.word).sort()).toEqual(['eheschliessung', 'heirat']);
    expect(th.expand('hochzeit')[0]!.weight).toBe(1);
    const adr = th.expand('adresse');
    expect(adr.map((e) => e.word).sort()).toEqual(['anschrift', 'rede']);
    expect(adr[0]!.weight).toBeCloseTo(1 / Math.sqrt(2));
    expect(th.expand('hochzeiten').map((e) => e.word)).toContain('heirat');
    expect(th.expand('unbekannt')).toEqual([]);
  });

  it('loads the built-in OpenThesaurus extract', () => {
    const th = builtinThesaurus();
    expect(th.size).toBeGreaterThan(1000);
    expect(th.expand('hochzeit').map((e) => e.word)).toContain('eheschliessung');
  });

  it('adds weak "related" query terms only for words the catalog knows, never above typed words', () => {
    const lex = new Lexicon(false);
    lex.addText(tokenize('Notizbuch für die Bücherei ausleihen'));
    const th = Thesaurus.fromLines(['kladde;notizbuch;schmierheft']);
    const terms = analyze('Kladde leihen', { lexicon: lex, thesaurus: th });
    const rel = terms.find((t) => t.term === 'notizbuch');
    expect(rel).toMatchObject({ kind: 'related', from: 'kladde' });
    expect(rel!.weight).toBeLessThan(1);
    expect(terms.some((t) => t.term === 'schmierheft')).toBe(false); // not in the catalog
    expect(terms.find((t) => t.term === 'kladd')!.kind).toBe('word');
    // off by default
    expect(analyze('Kladde leihen', { lexicon: lex }).some((t) => t.kind === 'related')).toBe(false);
  });
});

describe('English → German glossary (Ding extract)', () => {
  it('loads and maps general English nouns to German catalog nouns', () => {
    const g = builtinGlossary();
    const hit = (q: string) => findSynonyms(tokenize(q), g).flatMap((h) => h.tokens);
    expect(hit('church')).toContain('kirche');
    expect(hit('fishing permit')).toEqual(expect.arrayContaining(['fischereischein']));
    expect(hit('pawnshop')).toContain('pfandleihe');
    expect(hit('xylophonist')).toEqual([]);
  });
  it('adds weak related terms for English questions only, not over the hand-written bridge', () => {
    const glossary = compileSynonyms({ chapel: ['kapelle'], widow: ['witwe', 'witwenrente'], passport: ['pass'] });
    const en = analyze('a wedding in the chapel for a widow', { lang: 'en', glossary });
    const kapelle = en.find((t) => t.term === 'kapell');
    expect(kapelle?.kind).toBe('related');
    expect(kapelle?.weight).toBeCloseTo(0.7);
    // two translations share the weight: 0.7 / √2
    expect(en.find((t) => t.term === 'witw')?.weight).toBeCloseTo(0.7 / Math.sqrt(2));
    // German questions never use it
    expect(analyze('Hochzeit in der Kapelle chapel', { lang: 'de', glossary }).some((t) => t.term === 'kapell' && t.kind === 'related')).toBe(false);
    // a word the bridge covers keeps the bridge reading ("passport" → reisepass), no glossary term
    expect(analyze('renew my passport', { lang: 'en', glossary }).map((t) => t.term)).not.toContain('pass');
  });
});

describe('noun parts (general word list for compound splitting)', () => {
  it('splits a compound whose modifier the catalog never uses alone', () => {
    const lex = new Lexicon(false);
    lex.addText(['austritt', 'kirchenaustritt']);
    expect(lex.split('kirchenaustritt')).toBeNull();
    lex.addParts(['kirche']);
    expect(lex.split('kirchenaustritt')).toEqual(['kirche', 'austritt']);
    expect(lex.has('kirche')).toBe(false);
    expect(builtinNounParts()).toContain('kirche');
  });
});
