import type { JobHandler } from '../../../core/module.ts';
import { systemActor } from '../../../core/auth/index.ts';
import { listExamples } from './repository.ts';
import { trainModel } from './train-model.ts';

/**
 * Job `mailroom.triage-retrain` {modelName}: retrains a model on its stored examples
 * (imports + staff corrections, in the order they were stored) and activates the new version.
 */
export const retrainJob: JobHandler = async (ctx, payload) => {
  const modelName = typeof payload.modelName === 'string' ? payload.modelName : 'default';
  const rows = await listExamples(ctx.db, modelName);
  if (rows.length < 10 || new Set(rows.map((r) => r.category)).size < 2) {
    ctx.log.warn({ model: modelName, rows: rows.length }, 'triage retrain skipped: too few examples');
    return;
  }
  await trainModel(ctx, systemActor('triage-retrain'), { name: modelName, rows: rows.map((r) => ({ id: r.externalId ?? String(r.id), subject: r.subject, text: r.text, category: r.category })) });
};

export const triageJobs = { 'mailroom.triage-retrain': retrainJob };
