import type { AppContext } from '../../../core/context.ts';
import { listModels as listRows } from './repository.ts';

export interface ModelSummary {
  name: string;
  version: number;
  kind: string;
  createdAt: string;
  active: boolean;
  categories: string[];
  thresholds: Record<string, number>;
  targetPrecision: number;
  trainingRows: number;
  figures: Record<string, unknown>;
}

/** All stored model versions (newest first per name), without weights. */
export async function listTriageModels(ctx: AppContext, name?: string): Promise<ModelSummary[]> {
  const rows = await listRows(ctx.db, name);
  return rows.map((r) => ({
    name: r.name,
    version: r.version,
    kind: r.kind,
    createdAt: r.createdAt.toISOString(),
    active: r.active,
    categories: r.categories,
    thresholds: r.thresholds,
    targetPrecision: r.targetPrecision,
    trainingRows: r.trainingRows,
    figures: r.figures,
  }));
}
