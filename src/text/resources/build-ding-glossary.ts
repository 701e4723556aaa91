// Derives the compact English → German glossary `ding-en-de.txt.gz` from the Debian package
// `trans-de-en` (Ding dictionary by Frank Richter, TU Chemnitz, GPL-2.0-or-later).
// Kept: German NOUNS (single capitalised words with a gender tag {f}/{m}/{n}/{pl}) whose stem
// occurs in the vocabulary of a service catalog (Munich DLDB export, Northeim seed catalog), with
// their English equivalents of one or two words from the same sub-entry. Only those can lead an
// English question to a German service. Never filtered by test or dev questions.
//
//   apt-get install trans-de-en
//   node --import tsx src/text/resources/build-ding-glossary.ts /usr/share/trans/de-en \
//     ../shared/data/services/services_de.json src/modules/catalog/seed/northeim-services.json
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tokenize } from '../normalize.ts';
import { stem } from '../stem.ts';
import { isStopWord } from '../stopwords.ts';

const [src, ...catalogs] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!src || catalogs.length === 0) {
  console.error('usage: build-ding-glossary.ts de-en catalog.json…');
  process.exit(2);
}
const vocab = new Set<string>();
const strip = (s: string) => s.replace(/<[^>]+>/g, ' ');
for (const file of catalogs) {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown[]; services?: unknown[] };
  for (const t of tokenize(strip(JSON.stringify(json.data ?? json.services ?? [])))) if (!isStopWord(t) && t.length >= 4 && !/\d/.test(t)) vocab.add(stem(t));
}
/** Removes Ding annotations: {f}, [adm.], (für …), <abbrev>. */
const clean = (s: string) => s.replace(/\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
// english phrase (folded) → German noun (folded) → best (lowest) position of the phrase in its synonym list
const out = new Map<string, Map<string, number>>();
let entries = 0;
for (const line of readFileSync(src, 'utf8').split('\n')) {
  if (!line || line.startsWith('#')) continue;
  const [de, en] = line.split(' :: ');
  if (!de || !en) continue;
  entries++;
  const deSubs = de.split(' | ');
  const enSubs = en.split(' | ');
  for (let i = 0; i < Math.min(deSubs.length, enSubs.length); i++) {
    const nouns = deSubs[i]!.split(';').filter((x) => /\{(f|m|n|pl)\}/.test(x)).map(clean).filter((w) => /^\p{Lu}[\p{L}-]+$/u.test(w));
    const germans = nouns.map((w) => tokenize(w).join('')).filter((w) => w.length >= 4 && vocab.has(stem(w)));
    if (germans.length === 0) continue;
    const phrases = enSubs[i]!.split(';').map(clean).map((p) => p.replace(/^(the|a|an|to) /i, '')).filter((p) => /^[a-z][a-z' -]*$/i.test(p));
    phrases.forEach((p, pos) => {
      const toks = tokenize(p);
      if (toks.length === 0 || toks.length > 2 || toks.every((t) => isStopWord(t, 'en'))) return;
      const key = toks.join(' ');
      const m = out.get(key) ?? new Map<string, number>();
      for (const g of germans) m.set(g, Math.min(m.get(g) ?? Infinity, pos));
      out.set(key, m);
    });
  }
}
const lines = [...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, m]) => `${k};${[...m].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([g]) => g).join(';')}`);
const dest = join(import.meta.dirname, 'ding-en-de.txt.gz');
writeFileSync(dest, gzipSync(`# English → German nouns, extract of Ding (trans-de-en, GPL-2.0-or-later), see DING-LICENSE.md\n${lines.join('\n')}\n`));
console.error(`${entries} Ding entries, ${lines.length} English phrases kept → ${dest}`);
