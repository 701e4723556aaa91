import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { listServices, type ServiceSummary } from '../catalog/index.ts';
import { applyThreshold, MIN_COUNT, WINDOW_MONTHS, monthsBack } from './pairs.ts';
import { partnersOf, topPairRows } from './repository.ts';

export interface RelatedService extends ServiceSummary {
  /** Times used together in the window (always ≥ MIN_COUNT). */
  count: number;
}

const optsSchema = z.object({
  minCount: z.number().int().min(MIN_COUNT).max(1_000_000).default(MIN_COUNT),
  limit: z.number().int().min(1).max(50).default(3),
});

async function publishedById(ctx: AppContext): Promise<Map<string, ServiceSummary>> {
  return new Map((await listServices(ctx)).map((s) => [s.id, s]));
}

/**
 * "Andere erledigten auch": published services used together with `serviceId` in the last
 * 12 months (appointments with several services, assistant conversations), only pairs counted at
 * least `minCount` (never below 5) times. Public data: counts only, no persons.
 */
export async function coUseSuggestions(ctx: AppContext, serviceId: string, opts: { minCount?: number; limit?: number } = {}): Promise<RelatedService[]> {
  const { minCount, limit } = optsSchema.parse(opts);
  const fromMonth = monthsBack(ctx.now(), WINDOW_MONTHS - 1);
  // Ask for a few more: unpublished partners are dropped below.
  const rows = applyThreshold(await partnersOf(ctx.db, serviceId, fromMonth, minCount, limit + 10), minCount);
  const published = await publishedById(ctx);
  return rows
    .filter((r) => published.has(r.id))
    .slice(0, limit)
    .map((r) => ({ ...published.get(r.id)!, count: r.count }));
}

export interface ServicePair {
  a: ServiceSummary;
  b: ServiceSummary;
  count: number;
}

/** The most frequent pairs of the last 12 months (≥ 5 only), for the staff evaluation page. */
export async function topServicePairs(ctx: AppContext, opts: { minCount?: number; limit?: number } = {}): Promise<ServicePair[]> {
  const { minCount, limit } = optsSchema.extend({ limit: z.number().int().min(1).max(500).default(50) }).parse(opts);
  const rows = applyThreshold(await topPairRows(ctx.db, monthsBack(ctx.now(), WINDOW_MONTHS - 1), minCount, limit), minCount);
  const published = await publishedById(ctx);
  const summary = (id: string): ServiceSummary => published.get(id) ?? { id, title: id, leika: null, url: null };
  return rows.map((r) => ({ a: summary(r.a), b: summary(r.b), count: r.count }));
}
