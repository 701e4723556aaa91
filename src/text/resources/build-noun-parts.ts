// Derives `noun-parts-de.txt.gz`: German nouns that can be parts of compounds, from the Debian
// package `wngerman` (/usr/share/dict/ngerman, German word list by Björn Jacke, GPL-2.0-or-later).
// Kept: capitalised words (nouns) of at least 5 letters, folded, that occur INSIDE a longer word of
// a service catalog (Munich DLDB export, Northeim seed catalog) – e.g. "kirche" in
// "Kirchenaustritt", where the catalog never uses the part on its own, so the compound could not be
// split. Never filtered by test or dev questions.
//
//   apt-get install wngerman
//   node --import tsx src/text/resources/build-noun-parts.ts /usr/share/dict/ngerman \
//     ../shared/data/services/services_de.json src/modules/catalog/seed/northeim-services.json
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { foldWord, tokenize } from '../normalize.ts';

const [src, ...catalogs] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!src || catalogs.length === 0) {
  console.error('usage: build-noun-parts.ts ngerman catalog.json…');
  process.exit(2);
}
const words = new Set<string>();
for (const file of catalogs) {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown[]; services?: unknown[] };
  for (const t of tokenize(JSON.stringify(json.data ?? json.services ?? []).replace(/<[^>]+>/g, ' '))) if (t.length >= 8 && !/\d/.test(t)) words.add(t);
}
const nouns = new Set<string>();
for (const raw of readFileSync(src, 'utf8').split('\n')) {
  if (!/^\p{Lu}\p{Ll}+$/u.test(raw)) continue;
  const w = foldWord(raw);
  if (w.length >= 5) nouns.add(w);
}
const kept = new Set<string>();
for (const w of words) {
  for (let i = 0; i < w.length; i++) {
    for (let j = i + 5; j <= w.length; j++) {
      if (i === 0 && j === w.length) continue;
      const p = w.slice(i, j);
      if (nouns.has(p)) kept.add(p);
    }
  }
}
const dest = join(import.meta.dirname, 'noun-parts-de.txt.gz');
writeFileSync(dest, gzipSync(`# German nouns as compound parts, extract of wngerman (GPL-2.0-or-later), see WORDLIST-LICENSE.md\n${[...kept].sort().join('\n')}\n`));
console.error(`${nouns.size} nouns, ${words.size} long catalog words → ${kept.size} parts → ${dest}`);
