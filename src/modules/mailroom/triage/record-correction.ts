import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { validationError } from '../../../core/errors.ts';
import { enqueue } from '../../../core/jobs/index.ts';
import { insertExamples } from './repository.ts';
import { modelNameSchema } from './train-model.ts';

const inputSchema = z.object({
  modelName: modelNameSchema.default('default'),
  externalId: z.string().optional(),
  subject: z.string().nullable().default(null),
  text: z.string().min(1),
  category: z.string().trim().min(1),
  /** Queue a retraining job after storing the correction. */
  retrain: z.boolean().default(false),
});

/**
 * Stores a staff-confirmed category as a training example (the review queue calls this);
 * optionally queues the retraining job `mailroom.triage-retrain`.
 */
export async function recordCorrection(ctx: AppContext, actor: Actor, input: z.input<typeof inputSchema>): Promise<void> {
  assertCan(actor, 'mailroom.process');
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const d = parsed.data;
  await ctx.db.transaction(async (tx) => {
    await insertExamples(tx, [{ modelName: d.modelName, externalId: d.externalId ?? null, subject: d.subject, text: d.text, category: d.category, source: 'correction' }]);
    if (d.retrain) await enqueue(tx, 'mailroom.triage-retrain', { modelName: d.modelName }, { singletonKey: `triage-retrain:${d.modelName}` });
    await writeAudit(tx, { actor, action: 'triage_example.correct', objectType: 'triage_model', objectId: d.modelName, summary: { category: d.category, retrain: d.retrain } });
  });
}
