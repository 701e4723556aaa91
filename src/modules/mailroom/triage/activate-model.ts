import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { AppError, validationError } from '../../../core/errors.ts';
import { z } from 'zod';
import { activeModelMeta, lockModelName, setActive } from './repository.ts';
import { modelNameSchema } from './train-model.ts';

const inputSchema = z.object({ name: modelNameSchema, version: z.coerce.number().int().min(1) });

/** Activates a stored version of a model (rollback or roll forward); the previous one is deactivated. */
export async function activateModel(ctx: AppContext, actor: Actor, input: { name: string; version: number | string }): Promise<{ name: string; version: number; previous: number | null }> {
  assertCan(actor, 'mailroom.configure');
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { name, version } = parsed.data;
  return ctx.db.transaction(async (tx) => {
    await lockModelName(tx, name);
    const before = await activeModelMeta(tx, name);
    if (!(await setActive(tx, name, version))) throw new AppError('not_found', `Das Modell ${name} in Version ${version} gibt es nicht.`);
    await writeAudit(tx, {
      actor,
      action: 'triage_model.activate',
      objectType: 'triage_model',
      objectId: `${name}@${version}`,
      summary: { previous: before?.version ?? null, active: version },
    });
    return { name, version, previous: before?.version ?? null };
  });
}
