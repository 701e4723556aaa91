import { z } from 'zod';
import { citizenActor } from '../../core/auth/actor.ts';
import { writeAudit } from '../../core/audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { validationError } from '../../core/errors.ts';
import { insertHandover } from './repository.ts';
import { cleanQuestion } from './ask-question.ts';

/** Handover requests are deleted this many days after they were made (done or not). */
export const HANDOVER_RETENTION_DAYS = 30;

export const handoverSchema = z
  .object({
    kind: z.enum(['callback', 'message'], { error: 'Bitte wählen Sie Rückruf oder Nachricht.' }),
    name: z.string().trim().max(100, 'Höchstens 100 Zeichen').optional().nullable(),
    contact: z.string().trim().min(3, 'Bitte geben Sie an, wie wir Sie erreichen.').max(200),
    preferredTime: z.string().trim().max(100).optional().nullable(),
    message: z.string().trim().min(3, 'Bitte beschreiben Sie kurz Ihr Anliegen.').max(2000, 'Höchstens 2.000 Zeichen'),
    topic: z.string().trim().max(200).optional().nullable(),
    consent: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.consent !== true) ctx.addIssue({ code: 'custom', path: ['consent'], message: 'Bitte stimmen Sie der Verarbeitung zu, damit wir antworten können.' });
    if (v.kind === 'callback' && !/^[+\d][\d\s/()-]{5,}$/.test(v.contact)) {
      ctx.addIssue({ code: 'custom', path: ['contact'], message: 'Bitte geben Sie eine Telefonnummer an.' });
    }
    if (v.kind === 'message' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.contact)) {
      ctx.addIssue({ code: 'custom', path: ['contact'], message: 'Bitte geben Sie eine E-Mail-Adresse an.' });
    }
  });

/**
 * "Mit einem Menschen sprechen": stores a callback request or message (only what is needed to
 * answer, with consent) for the staff queue. Deleted after {@link HANDOVER_RETENTION_DAYS}.
 */
export async function requestHandover(ctx: AppContext, input: unknown): Promise<{ id: string }> {
  const parsed = handoverSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const id = await insertHandover(tx, {
      kind: v.kind,
      name: v.name ? cleanQuestion(v.name) : null,
      contact: cleanQuestion(v.contact),
      preferredTime: v.preferredTime ? cleanQuestion(v.preferredTime) : null,
      message: cleanQuestion(v.message),
      topic: v.topic ? cleanQuestion(v.topic) : null,
      consentAt: now,
      createdAt: now,
      deleteAfter: new Date(now.getTime() + HANDOVER_RETENTION_DAYS * 86_400_000),
    });
    await writeAudit(tx, { actor: citizenActor, action: 'assistant.handover.request', objectType: 'assistant_handover', objectId: id, summary: { kind: v.kind } });
    return { id };
  });
}
