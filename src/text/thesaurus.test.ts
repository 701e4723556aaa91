import { describe, expect, it } from 'vitest';
import { analyze } from './analyzer.ts';
import { Lexicon } from './lexicon.ts';
import { tokenize } from './normalize.ts';
import { builtinThesaurus, Thesaurus } from './thesaurus.ts';

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
