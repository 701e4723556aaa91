/**
 * Use case: a citizen asks a question. Redact → guard (input, scope, injection) → retrieve via
 * the catalog search → answer from the best service(s) or refuse → optionally let an LLM phrase
 * it (verified) → store the redacted turn. Never touches HTTP.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { validationError } from '../../core/errors.ts';
import { getCatalogIndex, getService, searchServices, SEARCH_VERSION, type SearchHit, type Service } from '../catalog/index.ts';
import { CLASSIFIER_VERSION, guardQuestion, type RefusalReason } from './classify.ts';
import { composeAnswer, COMPOSER_VERSION, detectAspect, followUpKind, refusalText } from './compose.ts';
import { phraseWithLlm, type LlmOutcome } from './llm.ts';
import { redactPii, type PiiKind } from './redact.ts';
import { findConversation, insertQuestion, purgeExpired, saveConversation } from './repository.ts';
import { VERIFIER_VERSION } from './verify.ts';
import { checkEvidence, EVIDENCE_VERSION } from './evidence.ts';

/**
 * Below this retrieval confidence the assistant refuses ("weak evidence"). Chosen on the dev
 * set (see docs/modules/assistant.md): the lowest value that keeps false refusals ≤ 5 %.
 */
export const WEAK_EVIDENCE_THRESHOLD = 0.25;
/** Sources below this share of the top score are not listed. */
const MIN_RELATIVE_SCORE = 0.3;
/** Show the runner-up in the answer when it is this close to the best hit. */
const RUNNER_UP_SHARE = 0.85;
export const CONVERSATION_TTL_MS = 30 * 60_000;
export const QUESTION_RETENTION_DAYS = 180;
const MAX_RAW_CHARS = 20_000;

export const askInputSchema = z.object({
  question: z.string().max(MAX_RAW_CHARS, 'Die Frage ist viel zu lang.'),
  lang: z.enum(['de', 'en']).default('de'),
  conversationId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/)
    .optional()
    .nullable(),
  easy: z.boolean().default(false),
  channel: z.enum(['web', 'widget', 'api', 'cli']).default('api'),
});
export type AskInput = z.input<typeof askInputSchema>;

export interface AskSource {
  serviceId: string;
  title: string;
  url: string | null;
}

export interface AskResult {
  answer: string;
  refused: boolean;
  confidence: number;
  sources: AskSource[];
  conversationId: string;
  questionId: string | null;
  refusalReason: RefusalReason | null;
  /** Kinds of personal data removed from the question. */
  piiRemoved: PiiKind[];
  /** The question as stored (redacted). */
  redactedQuestion: string;
  /** null: no LLM configured or not used for this answer. */
  llm: { status: 'used' | 'fallback'; detail: string } | null;
  usedEasyLanguage: boolean;
  followUp: boolean;
}

export interface AskOptions {
  /** Store the turn (question log, conversation). CLI batch runs pass false. */
  record?: boolean;
}

const newConversationId = () => randomBytes(18).toString('base64url');

let lastPurge = 0;

/**
 * Services used for answers, cached per catalog version (the search index's version changes
 * with every catalog edit, so a published change is visible at once). Saves 1–2 queries per ask.
 */
const serviceCache = new WeakMap<object, { version: number; map: Map<string, Service> }>();
const SERVICE_CACHE_MAX = 2000;

async function loadService(ctx: AppContext, id: string): Promise<Service | null> {
  const { version } = await getCatalogIndex(ctx);
  let entry = serviceCache.get(ctx.database);
  if (!entry || entry.version !== version) serviceCache.set(ctx.database, (entry = { version, map: new Map() }));
  const hit = entry.map.get(id);
  if (hit) return hit;
  const s = await getService(ctx, id);
  if (s && s.status === 'published') {
    if (entry.map.size >= SERVICE_CACHE_MAX) entry.map.clear();
    entry.map.set(id, s);
  }
  return s;
}

/**
 * Answers or refuses one question.
 * @example const r = await askQuestion(ctx, { question: 'Was kostet ein Reisepass?', lang: 'de' });
 */
export async function askQuestion(ctx: AppContext, input: AskInput, opts: AskOptions = {}): Promise<AskResult> {
  const parsed = askInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { lang, easy, channel } = parsed.data;
  const record = opts.record ?? true;
  const now = ctx.now();
  const baseUrl = ctx.config.baseUrl;

  // Redact first: nothing below (log, storage, model) sees the raw text.
  const { text: question, found: piiRemoved } = redactPii(parsed.data.question);

  const conversation = record && parsed.data.conversationId ? await findConversation(ctx.db, parsed.data.conversationId, now) : null;
  const conversationId = conversation?.id ?? parsed.data.conversationId ?? newConversationId();

  const base = { conversationId, piiRemoved, redactedQuestion: question, usedEasyLanguage: false, followUp: false };
  let result: Omit<AskResult, 'questionId'>;
  let topServiceIds: string[] = conversation?.topicServiceIds ?? [];
  let topTitle: string | null = null;
  let llmOutcome: LlmOutcome | null = null;

  const guard = guardQuestion(parsed.data.question);
  const refuse = (reason: RefusalReason, confidence: number): Omit<AskResult, 'questionId'> => ({
    ...base,
    answer: refusalText(reason, ctx.town, lang, baseUrl),
    refused: true,
    confidence,
    sources: [],
    refusalReason: reason,
    llm: null,
  });

  if (guard.reason) {
    result = refuse(guard.reason, 0);
  } else {
    const aspect = detectAspect(question);
    const kind = followUpKind(question);
    const hasTopic = conversation !== null && conversation.topicServiceIds.length > 0;
    let hits: SearchHit[] = [];
    let services: Service[] = [];
    let confidence = 0;
    let followUp = false;
    let noTopic = false;
    if (kind === 'pure' && !hasTopic) {
      // "und was kostet das?" without a live conversation: nothing to refer to.
      noTopic = true;
    } else {
      if (kind !== 'pure') {
        hits = await searchServices(ctx, question, { lang, limit: 5 });
        confidence = hits[0]?.confidence ?? 0;
      }
      // A back-reference is answered against the current topic unless the search clearly found a new one.
      const newTopic = hits.length > 0 && confidence >= WEAK_EVIDENCE_THRESHOLD && hits[0]!.service.id !== conversation?.topicServiceIds[0];
      if (hasTopic && (kind === 'pure' || (kind === 'anaphoric' && !newTopic))) {
        followUp = true;
        confidence = conversation!.lastConfidence;
        services = (await Promise.all(conversation!.topicServiceIds.slice(0, 1).map((id) => loadService(ctx, id)))).filter((s): s is Service => s !== null);
        hits = services.map((s) => ({ service: s, score: 1, confidence, matchedTerms: [], passages: [] }));
      } else if (hits.length && confidence >= WEAK_EVIDENCE_THRESHOLD && !checkEvidence(question, hits[0]!.matchedTerms, await getCatalogIndex(ctx), lang, [ctx.town.name, ctx.town.shortName]).lookAlike) {
        const top = hits[0]!;
        const runnerUp = hits[1] && hits[1].score >= top.score * RUNNER_UP_SHARE ? hits[1] : null;
        services = (await Promise.all([top, runnerUp].filter((h): h is SearchHit => h !== null).map((h) => loadService(ctx, h.service.id)))).filter(
          (s): s is Service => s !== null,
        );
      }
    }
    if (!services.length) {
      result = refuse(noTopic ? 'no_topic' : 'weak_evidence', Number(confidence.toFixed(4)));
    } else {
      const composed = composeAnswer(services, { lang, baseUrl, aspect, easy, followUp });
      let answer = composed.text;
      if (ctx.config.LOTSE_LLM_BASE_URL && lang === 'de' && !composed.usedEasyLanguage) {
        llmOutcome = await phraseWithLlm(ctx.config, question, composed.passages);
        if (llmOutcome.status === 'used') {
          const details = composed.text.split('\n').filter((l) => /https?:\/\//.test(l));
          answer = [llmOutcome.text, ...details].join('\n');
        }
      }
      const topScore = hits[0]?.score ?? 0;
      const sources = hits
        .filter((h) => h.score >= topScore * MIN_RELATIVE_SCORE)
        .map((h) => ({ serviceId: h.service.id, title: h.service.title, url: h.service.url }));
      topServiceIds = [services[0]!.id];
      topTitle = services[0]!.title;
      result = {
        ...base,
        answer,
        refused: false,
        confidence: Number(Math.min(1, Math.max(0, confidence)).toFixed(4)),
        sources,
        refusalReason: null,
        llm: llmOutcome ? { status: llmOutcome.status, detail: llmOutcome.status === 'used' ? `${llmOutcome.kept} Sätze belegt, ${llmOutcome.dropped} verworfen` : `${llmOutcome.reason}: ${llmOutcome.detail}` } : null,
        usedEasyLanguage: composed.usedEasyLanguage,
        followUp,
      };
    }
  }

  let questionId: string | null = null;
  if (record) {
    const llmStatus = llmOutcome ? (llmOutcome.status === 'used' ? 'used' : `fallback:${llmOutcome.reason}`) : null;
    questionId = await ctx.db.transaction(async (tx) => {
      await saveConversation(tx, {
        id: conversationId,
        lang,
        topicServiceIds: topServiceIds,
        lastConfidence: result.refused ? (conversation?.lastConfidence ?? 0) : result.confidence,
        expiresAt: new Date(now.getTime() + CONVERSATION_TTL_MS),
      });
      return insertQuestion(tx, {
        conversationId,
        question: question.slice(0, 2000),
        lang,
        channel,
        refused: result.refused,
        reason: result.refusalReason,
        topServiceId: topServiceIds[0] ?? null,
        topTitle,
        confidence: result.confidence,
        sources: result.sources,
        answer: result.answer,
        followUp: result.followUp,
        llmStatus,
        llmDetail: result.llm?.detail ?? null,
        piiFound: piiRemoved,
        versions: { classifier: CLASSIFIER_VERSION, evidence: EVIDENCE_VERSION, composer: COMPOSER_VERSION, search: SEARCH_VERSION, verifier: VERIFIER_VERSION, ...(llmOutcome ? { llm: llmOutcome.model } : {}) },
        createdAt: now,
      });
    });
    if (Date.now() - lastPurge > 10 * 60_000) {
      lastPurge = Date.now();
      await purgeExpired(ctx.db, now, QUESTION_RETENTION_DAYS);
    }
  }
  ctx.log.info(
    { refused: result.refused, reason: result.refusalReason, confidence: result.confidence, channel, followUp: result.followUp, llm: result.llm?.status ?? null },
    'assistant question answered',
  );
  return { ...result, questionId };
}
