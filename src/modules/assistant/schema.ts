import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Conversation state for follow-up questions. Keyed by a random id held by the browser;
 * holds only the current topic (service ids), never the citizen's text. Expires after
 * 30 minutes without activity.
 */
export const assistantConversations = pgTable(
  'assistant_conversations',
  {
    id: text('id').primaryKey(),
    lang: text('lang').notNull().default('de'),
    topicServiceIds: jsonb('topic_service_ids').$type<string[]>().notNull().default([]),
    lastConfidence: real('last_confidence').notNull().default(0),
    turns: integer('turns').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('assistant_conversations_expires_idx').on(t.expiresAt)],
);

/**
 * Every question asked (PII redacted before insert), with the decision and the versions of the
 * rules that made it: the basis of the staff review (refused / weak / low-rated questions).
 * Deleted after 180 days.
 */
export const assistantQuestions = pgTable(
  'assistant_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: text('conversation_id'),
    question: text('question').notNull(),
    lang: text('lang').notNull(),
    channel: text('channel').notNull(),
    refused: boolean('refused').notNull(),
    reason: text('reason'),
    topServiceId: text('top_service_id'),
    topTitle: text('top_title'),
    confidence: real('confidence').notNull().default(0),
    sources: jsonb('sources').$type<{ serviceId: string; title: string; url: string | null }[]>().notNull().default([]),
    answer: text('answer').notNull(),
    followUp: boolean('follow_up').notNull().default(false),
    /** null = no LLM configured; 'used'; or 'fallback:<reason>'. */
    llmStatus: text('llm_status'),
    llmDetail: text('llm_detail'),
    piiFound: jsonb('pii_found').$type<string[]>().notNull().default([]),
    versions: jsonb('versions').$type<Record<string, string>>().notNull().default({}),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assistant_questions_created_idx').on(t.createdAt), index('assistant_questions_conversation_idx').on(t.conversationId)],
);

/** Thumbs up/down with an optional comment (redacted). */
export const assistantFeedback = pgTable(
  'assistant_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => assistantQuestions.id, { onDelete: 'cascade' }),
    rating: text('rating').$type<'up' | 'down'>().notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assistant_feedback_question_idx').on(t.questionId)],
);

/** "Mit einem Menschen sprechen": callback requests and messages for staff. Deleted after `deleteAfter`. */
export const assistantHandovers = pgTable(
  'assistant_handovers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<'callback' | 'message'>().notNull(),
    name: text('name'),
    /** Phone number (callback) or e-mail address (message reply). */
    contact: text('contact').notNull(),
    preferredTime: text('preferred_time'),
    message: text('message').notNull(),
    /** Topic of the conversation (service title), no question text. */
    topic: text('topic'),
    consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
    status: text('status').$type<'open' | 'done'>().notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deleteAfter: timestamp('delete_after', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneBy: text('done_by'),
  },
  (t) => [index('assistant_handovers_status_idx').on(t.status, t.createdAt)],
);
