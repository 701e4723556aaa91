/** Staff use cases: review weak/refused/low-rated questions, work the handover queue, add synonyms. */
import type { Actor } from '../../core/auth/actor.ts';
import { assertCan } from '../../core/auth/guard.ts';
import { writeAudit } from '../../core/audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { getCatalogIndex, getEmbeddingStatus, saveSynonym } from '../catalog/index.ts';
import { getSetting } from '../../core/settings/index.ts';
import { WEAK_EVIDENCE_THRESHOLD, QUESTION_RETENTION_DAYS } from './ask-question.ts';
import type { RefusalReason } from './classify.ts';
import { listHandovers, listReviewQuestions, markHandoverDone, markQuestionsReviewed, purgeExpired, type HandoverRow, type ReviewRow } from './repository.ts';

/** Review shows questions answered with less than this confidence too (not only refusals). */
export const REVIEW_WEAK_BELOW = WEAK_EVIDENCE_THRESHOLD + 0.1;

const REASON_LABELS: Record<RefusalReason, string> = {
  crisis: 'Krisenhinweis gegeben (Suizid/Selbstverletzung; Text nicht gespeichert)',
  third_party: 'Daten über andere Personen',
  weak_evidence: 'Keine passende Leistung gefunden',
  no_topic: 'Nachfrage ohne Thema',
  injection: 'Manipulationsversuch',
  abuse: 'Beleidigung',
  weather: 'Wetter',
  sports: 'Sport',
  politics: 'Politik/Meinung',
  medical: 'Medizinischer Rat',
  legal: 'Rechtsberatung',
  code: 'Programmcode',
  harmful: 'Schädliche Anfrage',
  chitchat: 'Plauderei',
  empty: 'Leere Eingabe',
  too_long: 'Zu lang',
  binary: 'Unlesbare Eingabe',
  script: 'Code/HTML in der Eingabe',
};

export interface ReviewGroup {
  /** Topic: the best-matching service, or the refusal reason. */
  topic: string;
  serviceId: string | null;
  /** Refusal reason of the group (null = answered questions about `serviceId`). */
  reason: string | null;
  /** A synonym or better text can help (answered or "nothing found"; not for injections, weather …). */
  improvable: boolean;
  questions: ReviewRow[];
}

/** German labels of the reasons a search fell back to BM25 alone (keys of the catalog's query counters). */
export const EMBEDDING_FALLBACK_LABELS: Record<string, string> = {
  down: 'Endpunkt nicht erreichbar',
  timeout: 'Zeitüberschreitung',
  http_error: 'HTTP-Fehler des Endpunkts',
  garbage: 'Ungültige Antwort',
  dims: 'Vektorlänge passt nicht (Modell gewechselt?)',
  no_vectors: 'Noch keine Leistungsvektoren berechnet',
};

/** State of the optional embeddings endpoint for the staff view (counts only, never query texts). */
export interface EmbeddingsOverview {
  configured: boolean;
  model: string;
  published: number;
  /** Published services with a vector of the configured model. */
  embedded: number;
  /** Published services without a vector of the configured model (missing or from another model). */
  missing: number;
  /** The catalog changed after the last complete run of `catalog.embed`: vectors of changed services may be stale until the next run. */
  catalogChanged: boolean;
  /** Counters of this instance since its start. */
  queries: number;
  used: number;
  cached: number;
  /** Searches that skipped the endpoint for a while after repeated failures. */
  skipped: number;
  fallbacks: { reason: string; label: string; count: number }[];
  lastFallbackAt: Date | null;
}

export interface ReviewOverview {
  groups: ReviewGroup[];
  handovers: HandoverRow[];
  llmFallbacks: number;
  embeddings: EmbeddingsOverview;
}

/** Setting the catalog's embedding job writes after a complete run (read-only here). */
const EMBED_STATE_KEY = 'catalog.embeddings.state';

/** The embeddings status (catalog) in the shape the review page shows. */
export async function getEmbeddingsOverview(ctx: AppContext): Promise<EmbeddingsOverview> {
  const s = await getEmbeddingStatus(ctx);
  let catalogChanged = false;
  if (s.configured) {
    const state = await getSetting<{ catalogVersion?: number; model?: string } | null>(ctx.db, EMBED_STATE_KEY, null);
    const version = (await getCatalogIndex(ctx)).version;
    catalogChanged = !state || state.model !== s.model || (state.catalogVersion ?? -1) < version;
  }
  const fallbacks = Object.entries(s.query.fallbacks)
    .filter(([, n]) => n > 0)
    .map(([reason, count]) => ({ reason, label: EMBEDDING_FALLBACK_LABELS[reason] ?? reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return {
    configured: s.configured,
    model: s.model,
    published: s.published,
    embedded: s.embedded,
    missing: Math.max(0, s.published - s.embedded),
    catalogChanged,
    queries: s.query.queries,
    used: s.query.used,
    cached: s.query.cached,
    skipped: s.query.skipped,
    fallbacks,
    lastFallbackAt: s.query.lastFallbackAt ? new Date(s.query.lastFallbackAt) : null,
  };
}

/** Questions to look at, grouped by topic (largest group first), plus the open handover queue. */
export async function getReviewOverview(ctx: AppContext, actor: Actor): Promise<ReviewOverview> {
  assertCan(actor, 'assistant.review');
  const now = ctx.now();
  await purgeExpired(ctx.db, now, QUESTION_RETENTION_DAYS);
  const rows = await listReviewQuestions(ctx.db, new Date(now.getTime() - 90 * 86_400_000), REVIEW_WEAK_BELOW);
  const groups = new Map<string, ReviewGroup>();
  for (const r of rows) {
    const topic = r.refused ? `Abgelehnt: ${(REASON_LABELS as Record<string, string>)[r.reason ?? ''] ?? r.reason ?? '?'}` : (r.topTitle ?? 'Ohne Thema');
    const key = r.refused ? `r:${r.reason}` : `s:${r.topServiceId}`;
    const reason = r.refused ? r.reason : null;
    const g = groups.get(key) ?? { topic, serviceId: r.refused ? null : r.topServiceId, reason, improvable: !r.refused || r.reason === 'weak_evidence', questions: [] };
    g.questions.push(r);
    groups.set(key, g);
  }
  return {
    groups: [...groups.values()].sort((a, b) => b.questions.length - a.questions.length),
    handovers: await listHandovers(ctx.db, 'open'),
    llmFallbacks: rows.filter((r) => r.llmStatus?.startsWith('fallback')).length,
    embeddings: await getEmbeddingsOverview(ctx),
  };
}

export async function markReviewed(ctx: AppContext, actor: Actor, ids: string[]): Promise<number> {
  assertCan(actor, 'assistant.review');
  return ctx.db.transaction(async (tx) => {
    const n = await markQuestionsReviewed(tx, ids, ctx.now());
    await writeAudit(tx, { actor, action: 'assistant.questions.review', objectType: 'assistant_question', summary: { count: n } });
    return n;
  });
}

export async function completeHandover(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'assistant.review');
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not_found', 'Diese Anfrage gibt es nicht.');
  await ctx.db.transaction(async (tx) => {
    const ok = await markHandoverDone(tx, id, 'id' in actor ? (actor.id ?? null) : null, ctx.now());
    if (!ok) throw new AppError('not_found', 'Diese Anfrage gibt es nicht oder sie ist schon erledigt.');
    await writeAudit(tx, { actor, action: 'assistant.handover.done', objectType: 'assistant_handover', objectId: id });
  });
}

/** "Synonym hinzufügen": a citizen word that should find a service (delegates to the catalog). */
export async function addSynonymFromReview(ctx: AppContext, actor: Actor, term: string, expansion: string): Promise<void> {
  assertCan(actor, 'assistant.review');
  await saveSynonym(ctx, actor, { term, expansions: [expansion] });
}
