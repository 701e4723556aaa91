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
import { CLASSIFIER_VERSION, guardQuestion, MAX_QUESTION_CHARS, type RefusalReason } from './classify.ts';
import { composeAnswer, COMPOSER_VERSION, detectAspect, followUpKind, refusalText, registerInfoLine, truncationNote } from './compose.ts';
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
/** Stored instead of the text of a message that got the crisis answer. */
export const CRISIS_PLACEHOLDER = '[Krisenhinweis gegeben – Text nicht gespeichert]';
/** The API refuses bodies with longer questions (422); the use case itself caps any length. */
export const MAX_RAW_CHARS = 20_000;

export const askInputSchema = z.object({
  question: z.string({ error: 'Bitte geben Sie eine Frage als Text an.' }),
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
  /** The question as stored (redacted, control characters removed, capped). */
  redactedQuestion: string;
  /** The question was longer than MAX_QUESTION_CHARS: only its beginning was used (the answer says so). */
  truncated: boolean;
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

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g;

/**
 * Removes NUL and the other C0 control characters (tab, newline, carriage return stay) and
 * unpaired surrogates. PostgreSQL cannot store NUL in text, and nothing of it is useful.
 * @example cleanQuestion('Pass\u0000port') === 'Passport'
 */
export function cleanQuestion(text: string): string {
  return wellFormed(text).replace(CONTROL_CHARS, '');
}

/** Replaces unpaired surrogates with U+FFFD (String#toWellFormed, not in this TS lib yet). */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\ufffd');

/** Cuts text to `max` characters, preferably at a word boundary. */
export function capText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const cut = text.slice(0, max);
  const space = cut.search(/\s\S*$/);
  return { text: (space > max - 100 ? cut.slice(0, space) : cut).trimEnd(), truncated: true };
}

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

  // Clean and redact first: nothing below (log, storage, model) sees the raw text. Then cap:
  // only the first MAX_QUESTION_CHARS characters are used, and the answer says so.
  const raw = parsed.data.question;
  const { text: redacted, found: piiRemoved } = redactPii(cleanQuestion(raw));
  const { text: question } = capText(redacted, MAX_QUESTION_CHARS);
  const truncated = cleanQuestion(raw).length > MAX_QUESTION_CHARS;

  const conversation = record && parsed.data.conversationId ? await findConversation(ctx.db, parsed.data.conversationId, now) : null;
  const conversationId = conversation?.id ?? parsed.data.conversationId ?? newConversationId();

  const base = { conversationId, piiRemoved, redactedQuestion: question, truncated, usedEasyLanguage: false, followUp: false };
  let result: Omit<AskResult, 'questionId'>;
  let topServiceIds: string[] = conversation?.topicServiceIds ?? [];
  let topTitle: string | null = null;
  let llmOutcome: LlmOutcome | null = null;

  // The guard sees the same beginning, still with control characters (→ 'binary').
  const guard = guardQuestion(capText(wellFormed(raw), MAX_QUESTION_CHARS).text);
  /** Retrieval confidence of a refused question: stored for the staff review, never reported. */
  let refusedRetrievalConfidence = 0;
  // A refusal reports confidence 0 (there is no answer to be confident about), whatever the
  // search scored – a look-alike hit can score high and is still refused.
  const refuse = (reason: RefusalReason, retrievalConfidence: number, extra: string[] = []): Omit<AskResult, 'questionId'> => {
    refusedRetrievalConfidence = retrievalConfidence;
    return {
      ...base,
      answer: [refusalText(reason, ctx.town, lang, baseUrl), ...extra].join('\n'),
      refused: true,
      confidence: 0,
      sources: [],
      refusalReason: reason,
      llm: null,
    };
  };

  if (guard.reason === 'third_party') {
    // Point to the Melderegisterauskunft when the catalog has one (a service, not an answer).
    const hit = (await searchServices(ctx, 'Melderegisterauskunft', { lang: 'de', limit: 1 }))[0];
    result = refuse('third_party', 0, hit && /melderegister/i.test(hit.service.title) ? [registerInfoLine(hit.service, lang, baseUrl)] : []);
  } else if (guard.reason) {
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
      result = refuse(noTopic ? 'no_topic' : 'weak_evidence', Number(Math.min(1, Math.max(0, confidence)).toFixed(4)));
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

  if (truncated && result.refusalReason !== 'crisis') result = { ...result, answer: `${truncationNote(lang, MAX_QUESTION_CHARS)}\n${result.answer}` };

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
        // Crisis messages are health data (Art. 9 DSGVO): the log keeps only that the hint was given.
        question: result.refusalReason === 'crisis' ? CRISIS_PLACEHOLDER : question,
        lang,
        channel,
        refused: result.refused,
        reason: result.refusalReason,
        topServiceId: topServiceIds[0] ?? null,
        topTitle,
        confidence: result.refused ? refusedRetrievalConfidence : result.confidence,
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
    { refused: result.refused, reason: result.refusalReason, confidence: result.confidence, channel, followUp: result.followUp, truncated, llm: result.llm?.status ?? null },
    'assistant question answered',
  );
  return { ...result, questionId };
}
