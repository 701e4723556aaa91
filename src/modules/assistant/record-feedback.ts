import { z } from 'zod';
import { citizenActor } from '../../core/auth/actor.ts';
import { writeAudit } from '../../core/audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { cleanQuestion } from './ask-question.ts';
import { redactPii } from './redact.ts';
import { findQuestion, insertFeedback } from './repository.ts';

export const feedbackSchema = z.object({
  questionId: z.uuid('Unbekannte Frage'),
  rating: z.enum(['up', 'down']),
  comment: z.string().trim().max(1000, 'Höchstens 1.000 Zeichen').optional().nullable(),
});

/** Thumbs up/down with an optional comment; the comment is redacted before it is stored. */
export async function recordFeedback(ctx: AppContext, input: unknown): Promise<{ id: string }> {
  const parsed = feedbackSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { questionId, rating } = parsed.data;
  const comment = parsed.data.comment ? redactPii(cleanQuestion(parsed.data.comment)).text : null;
  return ctx.db.transaction(async (tx) => {
    if (!(await findQuestion(tx, questionId))) throw new AppError('not_found', 'Diese Antwort gibt es nicht mehr.');
    const id = await insertFeedback(tx, { questionId, rating, comment });
    await writeAudit(tx, { actor: citizenActor, action: 'assistant.feedback', objectType: 'assistant_question', objectId: questionId, summary: { rating, comment: comment !== null } });
    return { id };
  });
}
