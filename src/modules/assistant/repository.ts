/** All SQL of the assistant module. */
import { and, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../core/db/index.ts';
import { assistantConversations, assistantFeedback, assistantHandovers, assistantQuestions } from './schema.ts';

export type ConversationRow = typeof assistantConversations.$inferSelect;
export type QuestionRow = typeof assistantQuestions.$inferSelect;
export type QuestionInsert = typeof assistantQuestions.$inferInsert;
export type HandoverRow = typeof assistantHandovers.$inferSelect;

export async function findConversation(db: DbOrTx, id: string, now: Date): Promise<ConversationRow | null> {
  const rows = await db
    .select()
    .from(assistantConversations)
    .where(and(eq(assistantConversations.id, id), gt(assistantConversations.expiresAt, now)))
    .limit(1);
  return rows[0] ?? null;
}

export async function saveConversation(
  db: DbOrTx,
  c: { id: string; lang: string; topicServiceIds: string[]; lastConfidence: number; expiresAt: Date },
): Promise<void> {
  await db
    .insert(assistantConversations)
    .values({ ...c, turns: 1 })
    .onConflictDoUpdate({
      target: assistantConversations.id,
      set: { lang: c.lang, topicServiceIds: c.topicServiceIds, lastConfidence: c.lastConfidence, expiresAt: c.expiresAt, turns: sql`${assistantConversations.turns} + 1` },
    });
}

export async function insertQuestion(db: DbOrTx, q: QuestionInsert): Promise<string> {
  const [row] = await db.insert(assistantQuestions).values(q).returning({ id: assistantQuestions.id });
  return row!.id;
}

/** Turns of a live conversation, oldest first (for the page without JavaScript). */
export async function listConversationTurns(db: DbOrTx, conversationId: string, limit = 20): Promise<QuestionRow[]> {
  const rows = await db
    .select()
    .from(assistantQuestions)
    .where(eq(assistantQuestions.conversationId, conversationId))
    .orderBy(desc(assistantQuestions.createdAt))
    .limit(limit);
  return rows.reverse();
}

export async function findQuestion(db: DbOrTx, id: string): Promise<QuestionRow | null> {
  const rows = await db.select().from(assistantQuestions).where(eq(assistantQuestions.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function insertFeedback(db: DbOrTx, f: { questionId: string; rating: 'up' | 'down'; comment: string | null }): Promise<string> {
  const [row] = await db.insert(assistantFeedback).values(f).returning({ id: assistantFeedback.id });
  return row!.id;
}

export async function insertHandover(db: DbOrTx, h: typeof assistantHandovers.$inferInsert): Promise<string> {
  const [row] = await db.insert(assistantHandovers).values(h).returning({ id: assistantHandovers.id });
  return row!.id;
}

export async function listHandovers(db: DbOrTx, status: 'open' | 'done', limit = 100): Promise<HandoverRow[]> {
  return db.select().from(assistantHandovers).where(eq(assistantHandovers.status, status)).orderBy(desc(assistantHandovers.createdAt)).limit(limit);
}

export async function markHandoverDone(db: DbOrTx, id: string, by: string | null, at: Date): Promise<boolean> {
  const rows = await db
    .update(assistantHandovers)
    .set({ status: 'done', doneAt: at, doneBy: by })
    .where(and(eq(assistantHandovers.id, id), eq(assistantHandovers.status, 'open')))
    .returning({ id: assistantHandovers.id });
  return rows.length > 0;
}

export interface ReviewRow {
  id: string;
  question: string;
  lang: string;
  refused: boolean;
  reason: string | null;
  topTitle: string | null;
  topServiceId: string | null;
  confidence: number;
  llmStatus: string | null;
  llmDetail: string | null;
  createdAt: Date;
  rating: string | null;
  comment: string | null;
}

/**
 * Questions worth a look: refused, weak (confidence below `weakBelow`), rated down, or where
 * the LLM had to fall back. Newest first.
 */
export async function listReviewQuestions(db: DbOrTx, since: Date, weakBelow: number, limit = 300): Promise<ReviewRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`SELECT q.id, q.question, q.lang, q.refused, q.reason, q.top_title, q.top_service_id, q.confidence, q.llm_status, q.llm_detail, q.created_at,
               f.rating, f.comment
          FROM assistant_questions q
          LEFT JOIN LATERAL (SELECT rating, comment FROM assistant_feedback WHERE question_id = q.id ORDER BY created_at DESC LIMIT 1) f ON true
         WHERE q.created_at >= ${since.toISOString()}
           AND q.reviewed_at IS NULL
           AND (q.refused OR q.confidence < ${weakBelow} OR f.rating = 'down' OR q.llm_status LIKE 'fallback%')
         ORDER BY q.created_at DESC
         LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    question: String(r.question),
    lang: String(r.lang),
    refused: Boolean(r.refused),
    reason: (r.reason as string | null) ?? null,
    topTitle: (r.top_title as string | null) ?? null,
    topServiceId: (r.top_service_id as string | null) ?? null,
    confidence: Number(r.confidence),
    llmStatus: (r.llm_status as string | null) ?? null,
    llmDetail: (r.llm_detail as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    rating: (r.rating as string | null) ?? null,
    comment: (r.comment as string | null) ?? null,
  }));
}

export async function markQuestionsReviewed(db: DbOrTx, ids: string[], at: Date): Promise<number> {
  if (!ids.length) return 0;
  const rows = await db.update(assistantQuestions).set({ reviewedAt: at }).where(inArray(assistantQuestions.id, ids)).returning({ id: assistantQuestions.id });
  return rows.length;
}

/** Retention: expired conversations, old question logs, handovers past their deletion date. */
export async function purgeExpired(db: DbOrTx, now: Date, questionDays: number): Promise<void> {
  await db.delete(assistantConversations).where(lt(assistantConversations.expiresAt, now));
  await db.delete(assistantQuestions).where(lt(assistantQuestions.createdAt, new Date(now.getTime() - questionDays * 86_400_000)));
  await db.delete(assistantHandovers).where(lt(assistantHandovers.deleteAfter, now));
}
