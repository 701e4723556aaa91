/**
 * Second ranking stage over the best BM25F hits: how much of the service's TITLE the
 * question covers. Catalogs have families of sibling services ("Personalausweis",
 * "Verlust oder Diebstahl Personalausweis", "Abholung Personalausweis …"); BM25 scores them
 * nearly alike when the question names only the shared word, but the service whose title
 * is (almost) fully named by the question is usually the one meant.
 *
 *   titleCover = mean over title words of: 1 if the word (stem) or a stronger query reading of
 *                it matched, else (share of its compound parts matched) × PART_CREDIT, else 0;
 *                each credit scaled by min(1, query-term weight / 0.6)
 *   final      = score × (1 + TITLE_ALPHA × titleCover)
 *
 * TITLE_ALPHA was chosen by leave-one-out cross-validation on the dev questions (see
 * docs/modules/catalog.md, "Retrieval"); it is the only parameter chosen looking at dev.
 */
import { familyStems, isStopWord, stem, tokenize, verbBase, type Lexicon } from '../../text/index.ts';

export const RERANK_VERSION = 'title-cover-3';
export const RERANK = { TITLE_ALPHA: 1.5, PART_CREDIT: 1, BASE_CREDIT: 0.5 };

export interface TitleWord {
  stem: string;
  parts: string[];
  /** Stem without a separable verb prefix ("anmeld" → "meld"), also of the last part; counts BASE_CREDIT. */
  bases: string[];
  /** Word-family partners of the stem ("verlor" → "verlust"), full credit; empty unless asked for. */
  alts?: string[];
}

/** Title words of a service, analysed once at index time. */
export function analyzeTitle(title: string, lexicon: Lexicon, families = false): TitleWord[] {
  const out: TitleWord[] = [];
  for (const tok of tokenize(title)) {
    if (isStopWord(tok) || tok.length < 2) continue;
    const parts = [...new Set((lexicon.split(tok) ?? lexicon.head(tok) ?? []).filter((p) => !isStopWord(p)).map((p) => stem(p)))];
    const bases = [stem(tok), ...parts].map((x) => verbBase(x)).filter((b): b is string => !!b);
    out.push({ stem: stem(tok), parts, bases, ...(families ? { alts: familyStems(stem(tok)) } : {}) });
  }
  return out;
}

/** Share (0..1) of the title the query covers; `credit` maps index term → query credit (0..1). */
export function titleCover(title: TitleWord[], credit: Map<string, number>): number {
  if (title.length === 0) return 0;
  let sum = 0;
  for (const w of title) {
    let whole = credit.get(w.stem) ?? 0;
    for (const a of w.alts ?? []) whole = Math.max(whole, credit.get(a) ?? 0);
    let part = 0;
    if (w.parts.length > 0) {
      let s = 0;
      for (const p of w.parts) s += credit.get(p) ?? 0;
      part = (s / w.parts.length) * RERANK.PART_CREDIT;
    }
    let base = 0;
    for (const b of w.bases) base = Math.max(base, (credit.get(b) ?? 0) * RERANK.BASE_CREDIT);
    sum += Math.max(whole, part, base);
  }
  return sum / title.length;
}

/** Query credit per index term: min(1, weight / 0.6). */
export function queryCredit(terms: { term: string; weight: number }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of terms) m.set(t.term, Math.max(m.get(t.term) ?? 0, Math.min(1, t.weight / 0.6)));
  return m;
}
