// Catalog search benchmark: quality on the dev questions against the imported Munich
// catalog (DEV figures), beside the shared keyword baseline, plus speed on 287 services and
// on a 10,000-service synthetic catalog.  Run: npm run bench:search
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/core/config.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { createLogger } from '../src/core/logger.ts';
import { loadTown } from '../src/core/town.ts';
import { cliActor } from '../src/core/auth/actor.ts';
import { importCatalog, searchServices, getCatalogIndex, invalidateCatalogIndex, SEARCH_VERSION } from '../src/modules/catalog/index.ts';
import { CatalogIndex } from '../src/modules/catalog/search-index.ts';
import { percentile } from '../src/ml/rank-metrics.ts';
import { evaluate, indexDocsFromFile, splitHalves } from './search-eval.ts';
import { RERANK } from '../src/modules/catalog/rerank.ts';
import { LEARNED_MODEL } from '../src/modules/catalog/learned-rank-weights.ts';
import { trainModel } from '../src/modules/catalog/learned-rank-train.ts';
import { machineLine, writeSection } from './lib/report.mjs';

const SHARED = join(import.meta.dirname, '..', '..', 'shared');
const SERVICES = process.env.BENCH_SERVICES ?? join(SHARED, 'data/services/services_de.json');
const QUESTIONS = process.env.BENCH_QUESTIONS ?? join(SHARED, 'data/questions/dev.jsonl');
const questions = readFileSync(QUESTIONS, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const tmp = mkdtempSync(join(tmpdir(), 'lotse-bench-search-'));

function score(answersFile, questionsFile = QUESTIONS) {
  const out = execFileSync(process.execPath, [join(SHARED, 'tools/score_ask.mjs'), questionsFile, answersFile, '--json'], { encoding: 'utf8' });
  return JSON.parse(out);
}
// The dev set split by id parity (development half / check half, see docs/modules/catalog.md).
const halves = splitHalves(questions);
const halfFiles = Object.fromEntries(
  Object.entries(halves).map(([name, qs]) => {
    const f = join(tmp, `dev-${name}.jsonl`);
    writeFileSync(f, qs.map((q) => JSON.stringify(q)).join('\n') + '\n');
    return [name, f];
  }),
);
const overall = (s) => s.overall ?? s;

// 1. Quality through the real path: import into a fresh database, search via the public API.
const config = loadConfig({ LOTSE_LOG_LEVEL: 'silent', LOTSE_DEMO: 'off', LOTSE_DATA_DIR: tmp });
const database = await openDatabase({ memory: true });
await database.migrate();
const ctx = { config, town: loadTown(config.LOTSE_TOWN), database, db: database.db, log: createLogger('silent'), now: () => new Date() };
const t0 = performance.now();
const imported = await importCatalog(ctx, cliActor, SERVICES, { replace: true });
const importMs = performance.now() - t0;
invalidateCatalogIndex(ctx);
const tb = performance.now();
await getCatalogIndex(ctx);
const build287 = performance.now() - tb;

const lines = [];
for (const q of questions) {
  const hits = await searchServices(ctx, q.question, { lang: q.lang, limit: 5 });
  lines.push(JSON.stringify({ id: q.id, answer: '', refused: false, confidence: hits[0]?.confidence ?? 0, sources: hits.map((h) => ({ serviceId: h.service.id, title: h.service.title, url: h.service.url })) }));
}
const oursFile = join(tmp, 'ours.jsonl');
writeFileSync(oursFile, lines.join('\n') + '\n');
const ours = overall(score(oursFile));
const oursHalf = Object.fromEntries(Object.entries(halfFiles).map(([name, f]) => [name, overall(score(oursFile, f))]));

const baseFile = join(tmp, 'baseline.jsonl');
writeFileSync(baseFile, execFileSync(process.execPath, [join(SHARED, 'tools/baseline_ask.mjs'), SERVICES, QUESTIONS], { encoding: 'utf8', maxBuffer: 64 << 20 }));
const base = overall(score(baseFile));

// 2. Speed on 287 (full searchServices incl. passages), warm.
for (const q of questions) await searchServices(ctx, q.question, { lang: q.lang });
const lat287 = [];
for (let r = 0; r < 10; r++) for (const q of questions) {
  const s = performance.now();
  await searchServices(ctx, q.question, { lang: q.lang, limit: 5 });
  lat287.push(performance.now() - s);
}
await database.close();

// 3. Synthetic 10,000-service catalog: recombined Munich titles, sentences and keywords.
const base287 = indexDocsFromFile(SERVICES);
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const titleWords = base287.flatMap((d) => d.title.split(/\s+/)).filter((w) => w.length > 3);
const sentences = base287.flatMap((d) => d.description.split(/(?<=[.!?])\s+/)).filter((s) => s.length > 20);
const keywords = base287.flatMap((d) => d.keywords);
const synthetic = [...base287];
for (let i = synthetic.length; i < 10_000; i++) {
  const n = 3 + Math.floor(rnd() * 10);
  synthetic.push({
    id: `syn-${i}`,
    title: `${pick(titleWords)} ${pick(titleWords)}${rnd() < 0.5 ? ` ${pick(titleWords)}` : ''}`,
    leika: null,
    url: null,
    description: Array.from({ length: n }, () => pick(sentences)).join(' '),
    documents: [],
    fees: rnd() < 0.5 ? `${Math.round(rnd() * 100)} Euro` : null,
    processingTime: null,
    legalBasis: null,
    department: null,
    keywords: Array.from({ length: Math.floor(rnd() * 5) }, () => pick(keywords)),
    internal: false,
    lifeSituationTitles: [],
  });
}
const tb10 = performance.now();
const cpu10 = process.cpuUsage();
const big = new CatalogIndex(synthetic, {}, 1);
const build10k = performance.now() - tb10;
const cpuBuild10k = process.cpuUsage(cpu10);
const build10kCpu = (cpuBuild10k.user + cpuBuild10k.system) / 1000;
for (const q of questions) big.search(q.question, { lang: q.lang });
const lat10k = [];
for (let r = 0; r < 5; r++) for (const q of questions) {
  const s = performance.now();
  big.search(q.question, { lang: q.lang, limit: 5 });
  lat10k.push(performance.now() - s);
}

// 4. Ablation on the same dev set (index search only): what each retrieval stage adds.
// Stages that cannot be switched off (umlaut fix, modifier splitting, noun cue) are documented
// with their measured effect in docs/modules/catalog.md.
const savedAlpha = RERANK.TITLE_ALPHA;
const R5_OFF = { families: false, glossary: false };
const STAGES = [
  ['BM25F + German analyser (no thesaurus, no re-ranking, no gazetteer, no proximity)', { thesaurus: false, gazetteer: false, proximity: false, ...R5_OFF }, 0],
  ['+ OpenThesaurus expansion', { gazetteer: false, proximity: false, ...R5_OFF }, 0],
  ['+ title-cover re-ranking', { gazetteer: false, proximity: false, ...R5_OFF }, savedAlpha],
  ['+ gazetteer (countries → Ausland, months → Monat)', { proximity: false, ...R5_OFF }, savedAlpha],
  ['+ proximity bonus (= catalog-search-3)', { ...R5_OFF }, savedAlpha],
  ['+ word families in the title cover (round 5)', { glossary: false }, savedAlpha],
  ['+ English → German glossary (round 5, = current)', {}, savedAlpha],
];
const ablation = [];
for (const [name, opts, alpha] of STAGES) {
  RERANK.TITLE_ALPHA = alpha;
  const ix = new CatalogIndex(base287, {}, 2, opts);
  ablation.push({ name, all: evaluate(ix, questions), odd: evaluate(ix, halves.odd), even: evaluate(ix, halves.even) });
}
RERANK.TITLE_ALPHA = savedAlpha;

// 4b. A second catalog and question set, not used for choosing anything in this round: the
// Northeim starter catalog with the assistant's regression questions (ranking only).
const northeimDocs = indexDocsFromFile(join(import.meta.dirname, '..', 'src/modules/catalog/seed/northeim-services.json'));
const regression = readFileSync(join(import.meta.dirname, '..', 'src/modules/assistant/regression.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const northeimRows = [];
for (const [name, opts, alpha] of [STAGES[0], STAGES[2], STAGES[4], STAGES[6]]) {
  RERANK.TITLE_ALPHA = alpha;
  northeimRows.push({ name, ...evaluate(new CatalogIndex(northeimDocs, {}, 4, opts), regression) });
}
RERANK.TITLE_ALPHA = savedAlpha;

// 5. Independent of dev: catalog pseudo-queries. Each DLDB keyword that belongs to exactly one
// service is a query; the index is built WITHOUT the keywords field, so the service must be
// found through title, description and context (vocabulary gap like real questions).
const kwCount = new Map();
for (const d of base287) for (const k of new Set(d.keywords.map((x) => x.trim().toLowerCase()))) kwCount.set(k, (kwCount.get(k) ?? 0) + 1);
const pseudo = base287.flatMap((d) => [...new Set(d.keywords.map((x) => x.trim()))].filter((k) => k.length > 2 && kwCount.get(k.toLowerCase()) === 1).map((k) => ({ question: k, lang: 'de', expected: [d.id], refuse: false })));
const noKw = base287.map((d) => ({ ...d, keywords: [] }));
const pseudoRows = [];
for (const [name, opts, alpha] of [STAGES[0], STAGES[1], STAGES[2], STAGES[4], STAGES[6]]) {
  RERANK.TITLE_ALPHA = alpha;
  pseudoRows.push({ name, ...evaluate(new CatalogIndex(noKw, {}, 3, opts), pseudo) });
}
RERANK.TITLE_ALPHA = savedAlpha;

// 6. Optional learned re-ranking stage (learned-rank.ts, OFF in production): weights learned from
// catalog pseudo-queries only (keywords / first sentences, leave-one-field-out), never from questions.
const learnedIx = new CatalogIndex(base287, {}, 5, { learned: LEARNED_MODEL });
const handIx = new CatalogIndex(base287, {}, 5);
const learnedDev = { all: evaluate(learnedIx, questions), odd: evaluate(learnedIx, halves.odd), even: evaluate(learnedIx, halves.even) };
const handDev = { all: evaluate(handIx, questions), odd: evaluate(handIx, halves.odd), even: evaluate(handIx, halves.even) };
const learnedNortheim = evaluate(new CatalogIndex(northeimDocs, {}, 4, { learned: LEARNED_MODEL }), regression);
const tTrain = process.cpuUsage();
const { report: learnedPseudo } = trainModel(base287, 'bench');
const trainCpu = process.cpuUsage(tTrain);
const latLearned = [];
for (let r = 0; r < 5; r++) for (const q of questions) {
  const s = performance.now();
  learnedIx.search(q.question, { lang: q.lang, limit: 5 });
  latLearned.push(performance.now() - s);
}
const latHand = [];
for (let r = 0; r < 5; r++) for (const q of questions) {
  const s = performance.now();
  handIx.search(q.question, { lang: q.lang, limit: 5 });
  latHand.push(performance.now() - s);
}

// 7. Round 5: English probes (bench/search-en-probe.jsonl, written for round 5 from the Munich
// catalog titles, not from dev, on purpose with words the hand-written bridge lacks) and the
// experiments of the round (all off in production), each on the three measures.
const probes = readFileSync(join(import.meta.dirname, 'search-en-probe.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const VARIANTS = [
  ['catalog-search-3 (before round 5)', R5_OFF],
  ['+ word families in the title cover', { glossary: false }],
  ['+ English glossary (= current)', {}],
  ['current + pseudo-relevance feedback (RM3: 3 services, 10 terms, weight 0.3)', { prf: {} }],
  ['current + RM3 weight 0.15', { prf: { weight: 0.15 } }],
  ['current + sibling penalty 0.2 (unsupported distinguishing title modifier)', { sibling: 0.2 }],
  ['current + LSA smoothing (k = 60, weight 0.3)', { semantic: 0.3 }],
  ['current + LSA smoothing (k = 15, weight 0.15)', { semantic: 0.15, semanticK: 15 }],
  ['current + general noun parts for compound splitting (wngerman)', { nounParts: true }],
  ['current without the hand-written English bridge (glossary alone)', { bridge: false }],
  ['catalog-search-3 without the hand-written English bridge', { bridge: false, ...R5_OFF }],
];
const variantRows = VARIANTS.map(([name, opts]) => {
  const ix = new CatalogIndex(base287, {}, 6, opts);
  return {
    name,
    all: evaluate(ix, questions),
    odd: evaluate(ix, halves.odd),
    even: evaluate(ix, halves.even),
    pseudo: evaluate(new CatalogIndex(noKw, {}, 6, opts), pseudo),
    northeim: evaluate(new CatalogIndex(northeimDocs, {}, 6, opts), regression),
    probe: evaluate(ix, probes),
  };
});

const f = (x) => x.toFixed(3);
const ms = (x) => `${x.toFixed(1)} ms`;
const md = `## Catalog search (\`npm run bench:search\`)

${machineLine()} · load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (shared machine: timings are noisy) · ${SEARCH_VERSION}

**Quality – DEV figures** on \`${QUESTIONS.replace(SHARED, '../shared')}\` (${ours.answerable ?? 50} answerable questions; the analyser was developed looking at this set, so these are not test figures – the acceptance uses a hidden set). Catalog: Munich DLDB export (${imported.imported} services, imported with \`lotse catalog import\`). Ranking only (top 5 sources, no refusal here; refusal is the assistant's job). To limit over-fitting, the set is split by id parity: changes were developed on the **odd** half and kept only if the **even** half did not get worse (it was looked at too, so it is no clean test either; the round-5 word-family change was prompted by an even-half miss).

| | MRR | top-1 | top-3 | goal |
|---|---|---|---|---|
| Lotse search – all dev (${ours.answerable ?? 50}) | ${f(ours.mrr)} | ${f(ours.top1)} | ${f(ours.top3)} | MRR ≥ 0.90, top-1 ≥ 0.85, top-3 ≥ 0.95 |
| Lotse search – odd half (development) | ${f(oursHalf.odd.mrr)} | ${f(oursHalf.odd.top1)} | ${f(oursHalf.odd.top3)} | |
| Lotse search – even half (check) | ${f(oursHalf.even.mrr)} | ${f(oursHalf.even.top1)} | ${f(oursHalf.even.top3)} | |
| keyword baseline (\`shared/tools/baseline_ask.mjs\`), all dev | ${f(base.mrr)} | ${f(base.top1)} | ${f(base.top3)} | |

Ablation (index search; all dev / odd half / even half, MRR · top-1 · top-3). Every row uses the current analyser (umlaut fix, modifier splitting, noun cue, round 6: separable verbs joined – not switchable; their measured effect is in docs/modules/catalog.md, "Retrieval, Runde 3"). The thesaurus weight and the re-ranking weight were chosen in session 1 by leave-one-out cross-validation on all of dev (LOO MRR 0.822); the proximity weight 0.5 in round 3 on the odd half; round 5 added word families in the title cover and the English glossary, both with a-priori weights – see docs/modules/catalog.md, "Retrieval":

| stage | all dev | odd half | even half |
|---|---|---|---|
${ablation.map((a) => `| ${a.name} | ${[a.all, a.odd, a.even].map((r) => `${f(r.mrr)} · ${f(r.top1)} · ${f(r.top3)}`).join(' | ')} |`).join('\n')}

Checks that do not use dev at all:

- **Catalog pseudo-queries** (${pseudo.length} DLDB keywords that belong to exactly one service, searched in an index built without the keywords field):

| stage | MRR | top-1 | top-3 |
|---|---|---|---|
${pseudoRows.map((a) => `| ${a.name} | ${f(a.mrr)} | ${f(a.top1)} | ${f(a.top3)} |`).join('\n')}

- **Second catalog**: the Northeim starter catalog (${northeimDocs.length} services) with the ${northeimRows[0].n} answerable questions of the assistant's regression set (\`src/modules/assistant/regression.jsonl\`, written in session 1 and not used to choose anything; lines r33–r38 were added in round 6 with the separable-verb fix – "Wie melde ich meinen Hund an?" – so those six are no independent check; index built from the file, without life-situation titles, so a line can differ from the full ask path in \`regression.db.test.ts\`):

| stage | MRR | top-1 | top-3 |
|---|---|---|---|
${northeimRows.map((a) => `| ${a.name} | ${f(a.mrr)} | ${f(a.top1)} | ${f(a.top3)} |`).join('\n')}

- **Learned re-ranking stage (experiment, off)** – \`learned-rank.ts\`, ${LEARNED_MODEL.version}: a linear pairwise-logistic model over ${LEARNED_MODEL.weights.length} features of the best ${LEARNED_MODEL.k} hand-ranked candidates, trained only on catalog pseudo-queries (unique keywords searched without the keywords field, first description sentences searched without first sentences; ${learnedPseudo.queries} queries, training ${(trainCpu.user / 1000).toFixed(0)} ms CPU). Not accepted, because it does not beat the hand ranking on held-out pseudo-queries:

| | hand ranking (current) | + learned stage |
|---|---|---|
| pseudo-queries, held-out half of the services (trained on the other half), MRR | ${f(learnedPseudo.heldOutHandMrr)} | ${f(learnedPseudo.heldOutLearnedMrr)} |
| pseudo-queries, second fold (halves swapped), MRR | ${f(learnedPseudo.fold2HandMrr)} | ${f(learnedPseudo.fold2LearnedMrr)} |
| dev all, MRR · top-1 · top-3 (final measurement only) | ${f(handDev.all.mrr)} · ${f(handDev.all.top1)} · ${f(handDev.all.top3)} | ${f(learnedDev.all.mrr)} · ${f(learnedDev.all.top1)} · ${f(learnedDev.all.top3)} |
| dev odd / even half, MRR | ${f(handDev.odd.mrr)} / ${f(handDev.even.mrr)} | ${f(learnedDev.odd.mrr)} / ${f(learnedDev.even.mrr)} |
| Northeim regression set, MRR · top-1 | ${f(northeimRows[3].mrr)} · ${f(northeimRows[3].top1)} | ${f(learnedNortheim.mrr)} · ${f(learnedNortheim.top1)} |
| index search p95, 287 services | ${ms(percentile(latHand, 95))} | ${ms(percentile(latLearned, 95))} |

- **Round 5 variants** (MRR; dev halves, the two dev-free checks above, and ${probes.length} English probe questions written for this round from the Munich catalog titles – not from dev –, on purpose with words the hand-written bridge lacks, \`bench/search-en-probe.jsonl\`; the glossary was kept with its a-priori weight, not tuned on them). Experiments are off in production; see docs/modules/catalog.md, "Retrieval, Runde 5":

| variant | dev all | odd (development) | even (check) | pseudo-queries | Northeim | English probes |
|---|---|---|---|---|---|---|
${variantRows.map((r) => `| ${r.name} | ${f(r.all.mrr)} | ${f(r.odd.mrr)} | ${f(r.even.mrr)} | ${f(r.pseudo.mrr)} | ${f(r.northeim.mrr)} | ${f(r.probe.mrr)} (top-1 ${f(r.probe.top1)}) |`).join('\n')}

${ours.mrr >= 0.9 && ours.top1 >= 0.85 && ours.top3 >= 0.95 ? 'Goals met on dev.' : '**Goals not met on dev** (and the hidden test set will likely be lower): the remaining misses need world knowledge or paraphrase ("Nachweis über meine Wohnadresse" → Meldebescheinigung, "Bürgschaft für das Visum" → Verpflichtungserklärung, "Kharkiv" → Ukraine) or must choose between sibling services (vorläufiger vs. normaler Reisepass, EU vs. bundesweiter Parkausweis, "USA" → internationaler Führerschein). Round 5 tried the general IR methods on the catalog alone (pseudo-relevance feedback, sibling penalty, LSA, a general noun list for splitting): none improved the development half – the missing links are not in the catalog texts. Closing the gap needs semantic matching (the optional embeddings endpoint) or richer keywords per service – not per-question synonyms.'}

**Speed**

| | value | goal |
|---|---|---|
| import 287 services (DB, one transaction) | ${ms(importMs)} | |
| index build, 287 services | ${ms(build287)} | |
| query p95, 287 services (\`searchServices\`, incl. passages) | ${ms(percentile(lat287, 95))} (p50 ${ms(percentile(lat287, 50))}) | ≤ 50 ms |
| index build, 10,000 synthetic services | ${ms(build10k)} (CPU time ${ms(build10kCpu)} – less sensitive to other jobs) | ≤ 10 s |
| query p95, 10,000 synthetic services (index search) | ${ms(percentile(lat10k, 95))} (p50 ${ms(percentile(lat10k, 50))}) | ≤ 200 ms |

Synthetic catalog: the 287 Munich services plus 9,713 generated ones (titles, sentences and keywords recombined from the Munich texts, fixed seed).
`;
writeSection('search', md);
console.log(md);
