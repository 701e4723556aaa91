import type { AppContext } from '../../core/context.ts';
import { getLifeSituationRow, getServiceLifeSituationSlugs, listLifeSituationRows, servicesOfLifeSituations } from './repository.ts';
import type { LifeSituation, ServiceSummary } from './types.ts';

/** All life situations (Lebenslagen) with their published services in suggested order. */
export async function listLifeSituations(ctx: AppContext): Promise<LifeSituation[]> {
  const rows = await listLifeSituationRows(ctx.db);
  const svc = await servicesOfLifeSituations(
    ctx.db,
    rows.map((r) => r.slug),
  );
  return rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    titleEn: r.titleEn,
    intro: r.intro,
    services: svc.filter((s) => s.slug === r.slug).map(({ id, title, leika, url }) => ({ id, title, leika, url })),
  }));
}

export async function getLifeSituation(ctx: AppContext, slug: string): Promise<LifeSituation | null> {
  const r = await getLifeSituationRow(ctx.db, slug);
  if (!r) return null;
  const svc = await servicesOfLifeSituations(ctx.db, [slug]);
  return { slug: r.slug, title: r.title, titleEn: r.titleEn, intro: r.intro, services: svc.map(({ id, title, leika, url }) => ({ id, title, leika, url })) };
}

/**
 * Suggested next steps after a service: the services that follow it in its life
 * situations ("nach der Ummeldung: Fahrzeug ummelden, Hund ummelden"), max 5.
 */
export async function nextSteps(ctx: AppContext, serviceId: string): Promise<{ lifeSituation: string; services: ServiceSummary[] }[]> {
  const slugs = await getServiceLifeSituationSlugs(ctx.db, serviceId);
  if (slugs.length === 0) return [];
  const rows = await servicesOfLifeSituations(ctx.db, slugs);
  const titles = new Map((await listLifeSituationRows(ctx.db)).map((r) => [r.slug, r.title]));
  return slugs
    .map((slug) => {
      const list = rows.filter((r) => r.slug === slug);
      const me = list.find((r) => r.id === serviceId);
      const after = list.filter((r) => r.id !== serviceId && (!me || r.position > me.position));
      return { lifeSituation: titles.get(slug) ?? slug, services: after.slice(0, 5).map(({ id, title, leika, url }) => ({ id, title, leika, url })) };
    })
    .filter((x) => x.services.length > 0);
}
