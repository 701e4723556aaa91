import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stem } from './stem.ts';
import { compileSynonyms, type SynonymIndex, type SynonymList } from './synonyms.ts';

/**
 * A general German thesaurus (synsets of single, folded words) for weighted query expansion.
 * The built-in data is derived from OpenThesaurus (LGPL-2.1-or-later, https://www.openthesaurus.de;
 * see `resources/OPENTHESAURUS-LICENSE.md` and `resources/build-openthesaurus.ts`).
 *
 * Words in many synsets are ambiguous ("Adresse": Anschrift, Rede, Eingabe …), so each
 * expansion is weighted by 1/√(number of synsets of the query word).
 *
 * @example
 * const th = Thesaurus.fromLines(['heirat;hochzeit;eheschliessung']);
 * th.expand('hochzeit') // [{ word: 'heirat', weight: 1 }, { word: 'eheschliessung', weight: 1 }]
 */
export class Thesaurus {
  private readonly synsets: string[][] = [];
  /** folded word or its stem → synset numbers */
  private readonly byKey = new Map<string, number[]>();

  static fromLines(lines: Iterable<string>): Thesaurus {
    const th = new Thesaurus();
    for (const line of lines) {
      if (!line || line.startsWith('#')) continue;
      th.addSynset(line.split(';').filter(Boolean));
    }
    return th;
  }

  addSynset(words: string[]): void {
    const n = this.synsets.length;
    this.synsets.push(words);
    for (const w of words) {
      for (const key of new Set([w, stem(w)])) {
        const l = this.byKey.get(key);
        if (!l) this.byKey.set(key, [n]);
        else if (l[l.length - 1] !== n) l.push(n);
      }
    }
  }

  get size(): number {
    return this.synsets.length;
  }

  /** Words related to a folded word (by the word or its stem), each with a weight in (0, 1]. */
  expand(word: string): { word: string; weight: number }[] {
    const ids = this.byKey.get(word) ?? this.byKey.get(stem(word));
    if (!ids) return [];
    const weight = 1 / Math.sqrt(ids.length);
    const s = stem(word);
    const out = new Map<string, number>();
    for (const id of ids) for (const w of this.synsets[id]!) if (w !== word && stem(w) !== s) out.set(w, weight);
    return [...out].map(([w, wt]) => ({ word: w, weight: wt }));
  }
}

let builtin: Thesaurus | null = null;
/** The built-in OpenThesaurus extract (loaded once, ~2,600 noun synsets). */
export function builtinThesaurus(): Thesaurus {
  if (!builtin) {
    const text = gunzipSync(readFileSync(join(import.meta.dirname, 'resources', 'openthesaurus-de.txt.gz'))).toString('utf8');
    builtin = Thesaurus.fromLines(text.split('\n'));
  }
  return builtin;
}

let glossary: SynonymIndex | null = null;
/**
 * The built-in English → German glossary (loaded once): an extract of the Ding dictionary
 * (Debian package `trans-de-en`, GPL-2.0-or-later, see `resources/DING-LICENSE.md`) – German
 * nouns a service catalog uses, with their English equivalents of one or two words.
 */
export function builtinGlossary(): SynonymIndex {
  if (!glossary) {
    const text = gunzipSync(readFileSync(join(import.meta.dirname, 'resources', 'ding-en-de.txt.gz'))).toString('utf8');
    const list: SynonymList = {};
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const [key, ...values] = line.split(';');
      if (key && values.length) list[key] = values;
    }
    glossary = compileSynonyms(list);
  }
  return glossary;
}

let nounParts: string[] | null = null;
/**
 * German nouns that occur inside longer catalog words (e.g. "kirche" in "Kirchenaustritt"), for
 * splitting compounds whose parts the catalog never uses alone: an extract of the word list of the
 * Debian package `wngerman` (GPL-2.0-or-later, see `resources/WORDLIST-LICENSE.md`). Loaded once.
 */
export function builtinNounParts(): string[] {
  if (!nounParts) {
    const text = gunzipSync(readFileSync(join(import.meta.dirname, 'resources', 'noun-parts-de.txt.gz'))).toString('utf8');
    nounParts = text.split('\n').filter((l) => l && !l.startsWith('#'));
  }
  return nounParts;
}
