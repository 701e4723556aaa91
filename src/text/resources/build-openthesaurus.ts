// Derives the compact thesaurus file `openthesaurus-de.txt.gz` from the Debian package
// `openthesaurus-de-text` (OpenThesaurus, LGPL-2.1-or-later, https://www.openthesaurus.de).
// Kept: synsets of single words of which at least one word occurs (folded, stemmed) in the
// vocabulary of a service catalog (the Munich DLDB export and the Northeim seed catalog) –
// only those can lead a query to a service. Never filtered by test or dev questions.
//
//   apt-get download openthesaurus-de-text && dpkg-deb -x openthesaurus-de-text_*.deb /tmp/ot
//   node --import tsx src/text/resources/build-openthesaurus.ts /tmp/ot/usr/share/openthesaurus-de/openthesaurus.txt \
//     ../shared/data/services/services_de.json src/modules/catalog/seed/northeim-services.json
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tokenize } from '../normalize.ts';
import { stem } from '../stem.ts';
import { isStopWord } from '../stopwords.ts';

const NOUNS_ONLY = !process.argv.includes('--all-words');
const [src, ...catalogs] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!src || catalogs.length === 0) {
  console.error('usage: build-openthesaurus.ts openthesaurus.txt catalog.json…');
  process.exit(2);
}
const vocab = new Set<string>();
const strip = (s: string) => s.replace(/<[^>]+>/g, ' ');
for (const file of catalogs) {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown[]; services?: unknown[] };
  const items = json.data ?? json.services ?? [];
  for (const t of tokenize(strip(JSON.stringify(items)))) if (!isStopWord(t) && t.length >= 3 && !/\d/.test(t)) vocab.add(stem(t));
}
const lines: string[] = [];
let kept = 0;
let total = 0;
for (const raw of readFileSync(src, 'utf8').split('\n')) {
  if (!raw || raw.startsWith('#')) continue;
  total++;
  const words = new Set<string>();
  for (const entry of raw.split(';')) {
    const w = entry.replace(/\([^)]*\)/g, '').trim();
    if (!w || /\s/.test(w)) continue; // single words only
    if (NOUNS_ONLY && !/^\p{Lu}/u.test(w)) continue; // nouns (capitalised): verbs and adjectives expand too loosely
    const f = tokenize(w);
    if (f.length !== 1 || f[0]!.length < 3 || isStopWord(f[0]!)) continue;
    words.add(f[0]!);
  }
  if (words.size < 2) continue;
  const stems = new Set([...words].map((w) => stem(w)));
  if (stems.size < 2) continue;
  if (![...stems].some((s) => vocab.has(s))) continue;
  kept++;
  lines.push([...words].join(';'));
}
const header = '# Derived from OpenThesaurus (https://www.openthesaurus.de), LGPL-2.1-or-later, see OPENTHESAURUS-LICENSE.md.\n# One synset per line, folded single words, filtered to synsets touching service-catalog vocabulary.\n';
const out = join(import.meta.dirname, 'openthesaurus-de.txt.gz');
writeFileSync(out, gzipSync(header + lines.join('\n') + '\n', { level: 9 }));
process.stdout.write(`kept ${kept} of ${total} synsets → ${out}\n`);
