// Rolling DEVELOPMENT splits for triage model choices – only inside the earliest 80 % of
// ../shared/data/reports/train.jsonl (the part `npm run bench:triage` trains on); the latest
// 20 % that bench:triage evaluates are never read here.
//   node --import tsx bench/triage-dev.mjs '{"name":"fine 10","opts":{"fineLabels":10}}' …
// Each variant: train on the first 60/70/80 % of that part, predict the following 20 % with
// input {subject, text} as in interfaces.md (no district, never the `detail`), "route all" like
// `lotse triage --batch`; prints means of accuracy, macro-F1 (classes present in the slice),
// coverage at ≥ 0.95 precision (one threshold over confidence, like score_triage.mjs) and what
// the model's own per-category thresholds route (and their precision).
// Variant keys: opts (TrainOptions), seedDetail (portal-subject seeds carry their subject as
// fine label), noDetail (training rows without fine labels).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyWith, trainTextClassifier } from '../src/ml/text-classifier.ts';
import { descriptionSeeds as productDescriptionSeeds, parseCategoryDescriptions, portalSubjectSeeds as productSubjectSeeds } from '../src/modules/mailroom/triage/seeds.ts';

const SHARED = join(import.meta.dirname, '..', '..', 'shared');
const all = readFileSync(join(SHARED, 'data/reports/train.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const dev = all.slice(0, Math.round(all.length * 0.8)); // the evaluated latest 20 % stay untouched
// The product's seed rules (src/modules/mailroom/triage/seeds.ts, as `lotse triage train` uses them).
const groups = parseCategoryDescriptions(readFileSync(join(SHARED, 'data/reports/categories.json'), 'utf8')).groups;
const descriptionSeeds = productDescriptionSeeds(groups);
/** The portal's subject list as far as it occurs in the fitting rows (`withDetail`: the seed keeps its subject as `detail`). */
function portalSubjectSeeds(trainRows, withDetail) {
  return productSubjectSeeds(trainRows).map((s) => ({ ...s, ...(withDetail ? { detail: trainRows.find((r) => r.detail && r.detail.trim().replace(' - ', ' ') === s.text)?.detail.trim() } : {}) }));
}

function score(gold, preds) {
  const cats = [...new Set(gold.map((g) => g.category))];
  let ok = 0;
  const tp = {};
  const fp = {};
  const fn = {};
  preds.forEach((p, i) => {
    const g = gold[i].category;
    if (p.category === g) {
      ok++;
      tp[g] = (tp[g] ?? 0) + 1;
    } else {
      fn[g] = (fn[g] ?? 0) + 1;
      if (p.category) fp[p.category] = (fp[p.category] ?? 0) + 1;
    }
  });
  const f1 = {};
  for (const c of cats) {
    const t = tp[c] ?? 0;
    const pr = t / Math.max(1, t + (fp[c] ?? 0));
    const re = t / Math.max(1, t + (fn[c] ?? 0));
    f1[c] = pr + re ? (2 * pr * re) / (pr + re) : 0;
  }
  const sweep = preds
    .map((p, i) => [p.abstained ? -1 : p.confidence, !p.abstained && p.category === gold[i].category])
    .filter((x) => x[0] >= 0)
    .sort((a, b) => b[0] - a[0]);
  const coverageAt = (target) => {
    let best = 0;
    let k = 0;
    let c = 0;
    while (k < sweep.length) {
      let j = k;
      while (j < sweep.length && sweep[j][0] === sweep[k][0]) {
        if (sweep[j][1]) c++;
        j++;
      }
      k = j;
      if (c / k >= target) best = k / gold.length;
    }
    return best;
  };
  // Besides the goal (0.95): the mean over targets 0.93 … 0.97, a less jumpy view of the same curve.
  const band = [0.93, 0.94, 0.95, 0.96, 0.97].map(coverageAt);
  return { acc: ok / gold.length, f1: Object.values(f1).reduce((a, b) => a + b, 0) / cats.length, cov: coverageAt(0.95), covBand: band.reduce((a, b) => a + b, 0) / band.length, perClass: f1 };
}

export function run(variant) {
  const { name, opts = {}, seedDetail = false, noDetail = false } = variant;
  const res = [];
  let cpu = 0;
  for (const [a, b] of [
    [0.6, 0.8],
    [0.7, 0.9],
    [0.8, 1.0],
  ]) {
    const tr = dev.slice(0, Math.round(dev.length * a));
    const te = dev.slice(Math.round(dev.length * a), Math.round(dev.length * b));
    const seedRows = [...descriptionSeeds, ...portalSubjectSeeds(tr, seedDetail)];
    const c0 = process.cpuUsage();
    const { model } = trainTextClassifier(
      tr.map((r) => ({ id: r.id, subject: r.subject, text: r.text, category: r.category, district: r.district, ...(noDetail ? {} : { detail: r.detail }) })),
      { seedRows, ...opts },
    );
    const d = process.cpuUsage(c0);
    cpu += (d.user + d.system) / 1e6;
    const inp = (r) => ({ subject: r.subject, text: r.text });
    const forced = te.map((r) => classifyWith(model, inp(r), { abstain: false }));
    const abst = te.map((r) => classifyWith(model, inp(r)));
    let rok = 0;
    let routed = 0;
    abst.forEach((p, i) => {
      if (p.abstained) return;
      routed++;
      if (p.category === te[i].category) rok++;
    });
    res.push({ ...score(te, forced), routed: routed / te.length, rprec: routed ? rok / routed : 0 });
  }
  const m = (k) => ((100 * res.reduce((x, r) => x + r[k], 0)) / res.length).toFixed(1);
  const cls = Object.keys(res[0].perClass).sort();
  const perClass = cls.map((c) => `${c.slice(0, 8)} ${((100 * res.reduce((x, r) => x + (r.perClass[c] ?? 0), 0)) / res.length).toFixed(0)}`).join(' ');
  console.log(
    `${name.padEnd(34)} acc ${m('acc')} F1 ${m('f1')} cov ${m('cov')} (band ${m('covBand')}) routed ${m('routed')} @ ${m('rprec')} | F1s ${res.map((r) => (100 * r.f1).toFixed(1)).join('/')} covs ${res.map((r) => (100 * r.cov).toFixed(1)).join('/')} | train ${(cpu / 3).toFixed(1)} s CPU | ${perClass}`,
  );
  return res;
}

if (import.meta.url === `file://${process.argv[1]}`) for (const arg of process.argv.slice(2)) run(JSON.parse(arg));
