import { createRequire } from 'node:module';

interface SnowballStemmer {
  stem(word: string): string;
}
const require = createRequire(import.meta.url);
const snowball = require('snowball-stemmers') as { newStemmer(lang: string): SnowballStemmer };

const stemmers = { de: snowball.newStemmer('german'), en: snowball.newStemmer('english') };
const caches = { de: new Map<string, string>(), en: new Map<string, string>() };
const MAX_CACHE = 200_000;

/**
 * Snowball stem of an already folded word (see `foldWord`). Digits and very short words
 * are returned unchanged. Results are cached.
 * @example stem('anmeldungen') === stem('anmelden') // 'anmeld'
 */
export function stem(word: string, lang: 'de' | 'en' = 'de'): string {
  if (word.length < 4 || /^\d+$/.test(word)) return word;
  const cache = caches[lang];
  let s = cache.get(word);
  if (s === undefined) {
    s = stemmers[lang].stem(word);
    if (s.length < 3) s = word;
    if (cache.size > MAX_CACHE) cache.clear();
    cache.set(word, s);
  }
  return s;
}
