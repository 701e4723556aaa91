import type { AppContext } from '../../../core/context.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { redactPII } from '../../../text/pii.ts';
import { listExamples } from './repository.ts';

/** Stored training examples of a model with personal data masked (for exports and sharing). */
export async function exportTrainingData(ctx: AppContext, actor: Actor, modelName = 'default'): Promise<{ id: string; subject: string | null; text: string; category: string; source: string }[]> {
  assertCan(actor, 'mailroom.configure');
  const rows = await listExamples(ctx.db, modelName);
  return rows.map((r) => ({
    id: r.externalId ?? String(r.id),
    subject: r.subject === null ? null : redactPII(r.subject).text,
    text: redactPII(r.text).text,
    category: r.category,
    source: r.source,
  }));
}
