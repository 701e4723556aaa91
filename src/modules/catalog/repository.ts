import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db/index.ts';
import {
  catalogLifeSituations,
  catalogLocations,
  catalogServiceHistory,
  catalogServiceLifeSituations,
  catalogServiceLocations,
  catalogServices,
  catalogState,
  catalogSynonyms,
} from './schema.ts';
import type { Service, ServiceLocation, ServiceSummary } from './types.ts';

const collator = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

export type ServiceRow = typeof catalogServices.$inferSelect;
export type ServiceInsert = typeof catalogServices.$inferInsert;
export type LocationInsert = typeof catalogLocations.$inferInsert;

/** Current catalog version (bumped on every change). */
export async function getCatalogVersion(db: DbOrTx): Promise<number> {
  const rows = await db.select({ v: catalogState.version }).from(catalogState).where(eq(catalogState.id, 1));
  return Number(rows[0]?.v ?? 0);
}

/** Bumps the version so every instance rebuilds its search index. Call inside the change's transaction. */
export async function bumpCatalogVersion(tx: DbOrTx): Promise<void> {
  await tx
    .insert(catalogState)
    .values({ id: 1, version: 1 })
    .onConflictDoUpdate({ target: catalogState.id, set: { version: sql`${catalogState.version} + 1` } });
}

export async function countServices(db: DbOrTx): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(catalogServices);
  return Number(rows[0]?.n ?? 0);
}

/** Everything the search index needs, for published services. */
export async function loadIndexRows(db: DbOrTx) {
  const services = await db
    .select({
      id: catalogServices.id,
      title: catalogServices.title,
      leika: catalogServices.leika,
      url: catalogServices.url,
      description: catalogServices.description,
      documents: catalogServices.documents,
      fees: catalogServices.fees,
      processingTime: catalogServices.processingTime,
      legalBasis: catalogServices.legalBasis,
      department: catalogServices.department,
      keywords: catalogServices.keywords,
      internal: catalogServices.internal,
      extra: catalogServices.extra,
    })
    .from(catalogServices)
    .where(eq(catalogServices.status, 'published'));
  const ls = await db
    .select({ serviceId: catalogServiceLifeSituations.serviceId, title: catalogLifeSituations.title })
    .from(catalogServiceLifeSituations)
    .innerJoin(catalogLifeSituations, eq(catalogLifeSituations.slug, catalogServiceLifeSituations.slug));
  const lsBy = new Map<string, string[]>();
  for (const r of ls) lsBy.set(r.serviceId, [...(lsBy.get(r.serviceId) ?? []), r.title]);
  return services.map(({ extra, ...s }) => ({
    ...s,
    lifeSituationTitles: lsBy.get(s.id) ?? [],
    linkTitles: Array.isArray(extra['links']) ? (extra['links'] as unknown[]).filter((x): x is string => typeof x === 'string') : [],
  }));
}

export async function listSummaries(db: DbOrTx, opts: { includeDrafts?: boolean } = {}): Promise<(ServiceSummary & { status: string; demo: boolean; hasDraft: boolean; internal: boolean })[]> {
  const rows = await db
    .select({
      id: catalogServices.id,
      title: catalogServices.title,
      leika: catalogServices.leika,
      url: catalogServices.url,
      status: catalogServices.status,
      demo: catalogServices.demo,
      internal: catalogServices.internal,
      hasDraft: sql<boolean>`${catalogServices.draft} IS NOT NULL`,
    })
    .from(catalogServices)
    .where(opts.includeDrafts ? undefined : eq(catalogServices.status, 'published'));
  // German alphabetical order (Ä with A) independent of the database collation.
  rows.sort((a, b) => collator.compare(a.title, b.title) || (a.id < b.id ? -1 : 1));
  return rows.map((r) => ({ ...r, hasDraft: Boolean(r.hasDraft) }));
}

export async function getServiceRow(db: DbOrTx, id: string): Promise<ServiceRow | null> {
  const rows = await db.select().from(catalogServices).where(eq(catalogServices.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function getServiceLocations(db: DbOrTx, id: string): Promise<(ServiceLocation & { bookingUrl: string | null })[]> {
  return db
    .select({
      id: catalogLocations.id,
      name: catalogLocations.name,
      address: catalogLocations.address,
      openingHours: catalogLocations.openingHours,
      bookingUrl: catalogServiceLocations.bookingUrl,
    })
    .from(catalogServiceLocations)
    .innerJoin(catalogLocations, eq(catalogLocations.id, catalogServiceLocations.locationId))
    .where(eq(catalogServiceLocations.serviceId, id))
    .orderBy(asc(catalogLocations.name));
}

export async function getServiceLifeSituationSlugs(db: DbOrTx, id: string): Promise<string[]> {
  const rows = await db
    .select({ slug: catalogServiceLifeSituations.slug })
    .from(catalogServiceLifeSituations)
    .innerJoin(catalogLifeSituations, eq(catalogLifeSituations.slug, catalogServiceLifeSituations.slug))
    .where(eq(catalogServiceLifeSituations.serviceId, id))
    .orderBy(asc(catalogLifeSituations.position));
  return rows.map((r) => r.slug);
}

export function rowToService(row: ServiceRow, locations: ServiceLocation[], lifeSituations: string[]): Service {
  return {
    id: row.id,
    title: row.title,
    leika: row.leika,
    url: row.url,
    description: row.description,
    descriptionHtml: row.descriptionHtml,
    documents: row.documents,
    fees: row.fees,
    processingTime: row.processingTime,
    legalBasis: row.legalBasis,
    department: row.department,
    locations: locations.map(({ id, name, address, openingHours }) => ({ id, name, address, openingHours })),
    onlineUrl: row.onlineUrl,
    bookable: row.bookable,
    lifeSituations,
    keywords: row.keywords,
    easyLanguage: row.easyLanguage,
    languages: row.languages,
    attribution: row.attribution,
    demo: row.demo,
    status: row.status,
    updatedAt: row.updatedAt.toISOString(),
    sources: row.sources,
  };
}

export async function deleteAllCatalog(tx: DbOrTx): Promise<void> {
  await tx.delete(catalogServiceLifeSituations);
  await tx.delete(catalogServiceLocations);
  await tx.delete(catalogServices);
  await tx.delete(catalogLocations);
  await tx.delete(catalogLifeSituations);
}

export async function upsertLocation(tx: DbOrTx, loc: LocationInsert): Promise<void> {
  const { id: _id, ...rest } = loc;
  await tx.insert(catalogLocations).values(loc).onConflictDoUpdate({ target: catalogLocations.id, set: rest });
}

export async function upsertLifeSituation(tx: DbOrTx, ls: typeof catalogLifeSituations.$inferInsert): Promise<void> {
  const { slug: _slug, ...rest } = ls;
  await tx.insert(catalogLifeSituations).values(ls).onConflictDoUpdate({ target: catalogLifeSituations.slug, set: rest });
}

/** Inserts or replaces a service (published content) and its links. Returns the new version. */
export async function upsertService(
  tx: DbOrTx,
  s: ServiceInsert,
  links: { locations: { id: string; bookingUrl: string | null }[]; lifeSituations: { slug: string; position: number }[] },
): Promise<number> {
  const { id, ...rest } = s;
  const [row] = await tx
    .insert(catalogServices)
    .values({ ...s, version: 1 })
    .onConflictDoUpdate({ target: catalogServices.id, set: { ...rest, version: sql`${catalogServices.version} + 1`, updatedAt: sql`now()` } })
    .returning({ version: catalogServices.version });
  await tx.delete(catalogServiceLocations).where(eq(catalogServiceLocations.serviceId, id));
  await tx.delete(catalogServiceLifeSituations).where(eq(catalogServiceLifeSituations.serviceId, id));
  const seen = new Set<string>();
  const locs = links.locations.filter((l) => !seen.has(l.id) && seen.add(l.id));
  if (locs.length) await tx.insert(catalogServiceLocations).values(locs.map((l) => ({ serviceId: id, locationId: l.id, bookingUrl: l.bookingUrl })));
  const seenLs = new Set<string>();
  const lss = links.lifeSituations.filter((l) => !seenLs.has(l.slug) && seenLs.add(l.slug));
  if (lss.length) await tx.insert(catalogServiceLifeSituations).values(lss.map((l) => ({ serviceId: id, slug: l.slug, position: l.position })));
  return row?.version ?? 1;
}

export async function updateServiceFields(tx: DbOrTx, id: string, fields: Partial<ServiceInsert>): Promise<ServiceRow | null> {
  const [row] = await tx
    .update(catalogServices)
    .set({ ...fields, updatedAt: sql`now()` })
    .where(eq(catalogServices.id, id))
    .returning();
  return row ?? null;
}

export async function insertHistory(tx: DbOrTx, h: typeof catalogServiceHistory.$inferInsert): Promise<void> {
  await tx.insert(catalogServiceHistory).values(h);
}

export async function listHistory(db: DbOrTx, serviceId: string) {
  return db
    .select({
      version: catalogServiceHistory.version,
      action: catalogServiceHistory.action,
      actorType: catalogServiceHistory.actorType,
      actorId: catalogServiceHistory.actorId,
      at: catalogServiceHistory.at,
    })
    .from(catalogServiceHistory)
    .where(eq(catalogServiceHistory.serviceId, serviceId))
    .orderBy(desc(catalogServiceHistory.id))
    .limit(50);
}

export async function listSynonymRows(db: DbOrTx) {
  return db.select().from(catalogSynonyms).orderBy(asc(catalogSynonyms.term));
}

export async function upsertSynonym(tx: DbOrTx, term: string, expansions: string[], by: string | null): Promise<void> {
  await tx
    .insert(catalogSynonyms)
    .values({ term, expansions, updatedBy: by })
    .onConflictDoUpdate({ target: catalogSynonyms.term, set: { expansions, updatedBy: by, updatedAt: sql`now()` } });
}

export async function deleteSynonym(tx: DbOrTx, term: string): Promise<boolean> {
  const rows = await tx.delete(catalogSynonyms).where(eq(catalogSynonyms.term, term)).returning({ term: catalogSynonyms.term });
  return rows.length > 0;
}

export async function listLifeSituationRows(db: DbOrTx) {
  return db.select().from(catalogLifeSituations).orderBy(asc(catalogLifeSituations.position), asc(catalogLifeSituations.title));
}

export async function getLifeSituationRow(db: DbOrTx, slug: string) {
  const rows = await db.select().from(catalogLifeSituations).where(eq(catalogLifeSituations.slug, slug)).limit(1);
  return rows[0] ?? null;
}

/** Published services of life situations, in their suggested order. */
export async function servicesOfLifeSituations(db: DbOrTx, slugs: string[]) {
  if (slugs.length === 0) return [];
  return db
    .select({
      slug: catalogServiceLifeSituations.slug,
      position: catalogServiceLifeSituations.position,
      id: catalogServices.id,
      title: catalogServices.title,
      leika: catalogServices.leika,
      url: catalogServices.url,
    })
    .from(catalogServiceLifeSituations)
    .innerJoin(catalogServices, eq(catalogServices.id, catalogServiceLifeSituations.serviceId))
    .where(and(inArray(catalogServiceLifeSituations.slug, slugs), eq(catalogServices.status, 'published')))
    .orderBy(asc(catalogServiceLifeSituations.position), asc(catalogServices.title));
}
