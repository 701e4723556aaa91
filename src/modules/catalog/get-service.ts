import type { AppContext } from '../../core/context.ts';
import { getServiceLifeSituationSlugs, getServiceLocations, getServiceRow, listSummaries, rowToService } from './repository.ts';
import { searchServices } from './search-services.ts';
import type { Service, ServiceSummary } from './types.ts';
import { withPublicUrl } from './public-url.ts';

export { publicServiceUrl, withPublicUrl } from './public-url.ts';


/** A published service by id, or null (drafts and unknown ids). */
export async function getService(ctx: AppContext, id: string): Promise<Service | null> {
  const row = await getServiceRow(ctx.db, String(id));
  if (!row || row.status !== 'published') return null;
  const [locations, ls] = await Promise.all([getServiceLocations(ctx.db, row.id), getServiceLifeSituationSlugs(ctx.db, row.id)]);
  return rowToService(row, locations, ls);
}

/**
 * Published services: A–Z by title, or – with `q` – ranked by the search (best first).
 * This is the list of `GET /api/v1/services` and `lotse catalog list`. `url` is never null
 * (see {@link withPublicUrl}).
 */
export async function listServices(ctx: AppContext, opts: { q?: string } = {}): Promise<ServiceSummary[]> {
  if (opts.q && opts.q.trim()) return (await searchServices(ctx, opts.q, { limit: 50 })).map((h) => withPublicUrl(ctx, h.service));
  return (await listSummaries(ctx.db)).map(({ id, title, leika, url }) => withPublicUrl(ctx, { id, title, leika, url }));
}

/** Published services A–Z with the demo flag (for the portal list). */
export async function listServicesAZ(ctx: AppContext): Promise<(ServiceSummary & { demo: boolean })[]> {
  return (await listSummaries(ctx.db)).map(({ id, title, leika, url, demo }) => ({ id, title, leika, url, demo }));
}
