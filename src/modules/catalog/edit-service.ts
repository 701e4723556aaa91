import { z } from 'zod';
import type { Actor } from '../../core/auth/actor.ts';
import { assertCan } from '../../core/auth/guard.ts';
import { writeAudit } from '../../core/audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { bumpCatalogVersion, getServiceRow, insertHistory, listHistory, listSummaries, updateServiceFields, upsertService, type ServiceRow } from './repository.ts';
import { isLanguageCode, languagesSchema } from './catalog-format.ts';
import { htmlToPlain, sanitizeServiceHtml, toPlainLine, toPlainLineOrNull, toPlainLines, toPlainOrNull } from './sanitize.ts';
import { invalidateCatalogIndex } from './search-services.ts';
import type { EditableService } from './types.ts';

const nullableText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .default(null);
const optUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => s === '' || /^(https?:\/\/|\/)/.test(s), 'muss mit https:// oder / beginnen')
  .transform((s) => (s === '' ? null : s))
  .nullable()
  .default(null);

/** Validation of a staff edit. Lists may come as arrays or as one entry per line. */
export const editableServiceSchema = z.object({
  title: z.string().trim().min(2, 'Titel fehlt').max(300),
  leika: z
    .string()
    .trim()
    .refine((s) => s === '' || /^\d{14}$/.test(s), 'LeiKa-Schlüssel hat 14 Ziffern')
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .default(null),
  url: optUrl,
  descriptionHtml: z.string().max(100_000).default(''),
  documents: z.union([z.array(z.string()), z.string()]).transform((v) => (Array.isArray(v) ? v : v.split('\n')).map((s) => s.trim()).filter(Boolean)).default([]),
  fees: nullableText(5000),
  processingTime: nullableText(1000),
  legalBasis: nullableText(2000),
  department: nullableText(300),
  onlineUrl: optUrl,
  bookable: z.union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('')]).transform((v) => v === true || v === 'on' || v === 'true').default(false),
  keywords: z.union([z.array(z.string()), z.string()]).transform((v) => (Array.isArray(v) ? v : v.split(/[,\n]/)).map((s) => s.trim()).filter(Boolean)).default([]),
  easyLanguage: nullableText(20_000),
  /** ISO 639-1 codes as an array or as text ("en, tr"). Missing: the service keeps its languages. */
  languages: z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,;]+/)).map((s) => s.trim().toLowerCase()).filter(Boolean))
    // One issue on the field itself (not per entry), so the editor can link it to its input.
    .superRefine((codes, issue) => {
      const bad = codes.filter((c) => !isLanguageCode(c));
      if (bad.length) issue.addIssue({ code: 'custom', message: `unbekannter Sprachcode ${bad.join(', ')} – bitte ISO-639-1-Codes mit zwei Buchstaben angeben, z. B. „en, tr“` });
    })
    .pipe(languagesSchema)
    .optional(),
});

function editableOf(row: ServiceRow): EditableService {
  return {
    title: row.title,
    leika: row.leika,
    url: row.url,
    descriptionHtml: row.descriptionHtml,
    documents: row.documents,
    fees: row.fees,
    processingTime: row.processingTime,
    legalBasis: row.legalBasis,
    department: row.department,
    onlineUrl: row.onlineUrl,
    bookable: row.bookable,
    keywords: row.keywords,
    easyLanguage: row.easyLanguage,
    languages: row.languages,
  };
}

const actorIdOf = (a: Actor) => ('id' in a ? (a.id ?? null) : null);

/** The service as staff see it: published content, pending draft and history. */
export async function getServiceForEditing(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'catalog.read');
  const row = await getServiceRow(ctx.db, id);
  if (!row) throw new AppError('not_found', 'Die Leistung wurde nicht gefunden.');
  const history = await listHistory(ctx.db, id);
  return { row, published: editableOf(row), draft: (row.draft as EditableService | null) ?? null, history: history.map((h) => ({ ...h, at: h.at.toISOString() })) };
}

/** All services including drafts, for the staff list. */
export async function listServicesForEditing(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'catalog.read');
  return listSummaries(ctx.db, { includeDrafts: true });
}

/** Saves a draft (the published text stays visible until {@link publishService}). */
export async function saveServiceDraft(ctx: AppContext, actor: Actor, id: string, input: unknown): Promise<EditableService> {
  assertCan(actor, 'catalog.edit');
  const parsed = editableServiceSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const d = parsed.data;
  // Only the description keeps (allowed) HTML; every other text is stored as plain text.
  const draft: EditableService = {
    ...d,
    title: toPlainLine(d.title),
    descriptionHtml: sanitizeServiceHtml(d.descriptionHtml),
    documents: toPlainLines(d.documents),
    fees: toPlainOrNull(d.fees),
    processingTime: toPlainOrNull(d.processingTime),
    legalBasis: toPlainOrNull(d.legalBasis),
    department: toPlainLineOrNull(d.department),
    keywords: toPlainLines(d.keywords),
    easyLanguage: toPlainOrNull(d.easyLanguage),
  };
  if (draft.title.length < 2) throw validationError([{ path: ['title'], message: 'Titel fehlt (ohne HTML-Tags zu kurz)' }]);
  await ctx.db.transaction(async (tx) => {
    const row = await getServiceRow(tx, id);
    if (!row) throw new AppError('not_found', 'Die Leistung wurde nicht gefunden.');
    // A form without the languages field (older editor, API client) keeps the current ones.
    draft.languages ??= (row.draft as EditableService | null)?.languages ?? row.languages;
    await updateServiceFields(tx, id, { draft: draft as unknown as Record<string, unknown>, updatedBy: actorIdOf(actor) });
    await insertHistory(tx, { serviceId: id, version: row.version, action: 'draft', data: draft as unknown as Record<string, unknown>, actorType: actor.type, actorId: actorIdOf(actor) });
    await writeAudit(tx, { actor, action: 'catalog.service.draft', objectType: 'catalog_service', objectId: id, summary: { version: row.version } });
  });
  return draft;
}

/** Creates a new service as a draft (not public until published). */
export async function createService(ctx: AppContext, actor: Actor, input: { id: string; title: string }): Promise<string> {
  assertCan(actor, 'catalog.edit');
  const parsed = z
    .object({ id: z.string().trim().regex(/^[A-Za-z0-9._-]{1,100}$/, 'nur Buchstaben, Ziffern, Punkt, Bindestrich'), title: z.string().trim().min(2).max(300) })
    .safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { id } = parsed.data;
  const title = toPlainLine(parsed.data.title);
  if (title.length < 2) throw validationError([{ path: ['title'], message: 'Titel fehlt (ohne HTML-Tags zu kurz)' }]);
  await ctx.db.transaction(async (tx) => {
    if (await getServiceRow(tx, id)) throw new AppError('conflict', 'Eine Leistung mit dieser ID gibt es schon.');
    await upsertService(tx, { id, title, status: 'draft', sourceFormat: 'manual', updatedBy: actorIdOf(actor) }, { locations: [], lifeSituations: [] });
    await insertHistory(tx, { serviceId: id, version: 1, action: 'create', data: { title }, actorType: actor.type, actorId: actorIdOf(actor) });
    await writeAudit(tx, { actor, action: 'catalog.service.create', objectType: 'catalog_service', objectId: id, summary: {} });
  });
  return id;
}

/** Publishes the pending draft (or a never-published service): a new version, visible to citizens and the search. */
export async function publishService(ctx: AppContext, actor: Actor, id: string): Promise<{ version: number }> {
  assertCan(actor, 'catalog.edit');
  const version = await ctx.db.transaction(async (tx) => {
    const row = await getServiceRow(tx, id);
    if (!row) throw new AppError('not_found', 'Die Leistung wurde nicht gefunden.');
    const draft = row.draft as EditableService | null;
    if (!draft && row.status === 'published') throw new AppError('conflict', 'Es gibt keinen Entwurf zum Veröffentlichen.');
    const content = draft ?? editableOf(row);
    const updated = await updateServiceFields(tx, id, {
      ...content,
      description: htmlToPlain(content.descriptionHtml),
      status: 'published',
      draft: null,
      version: row.version + 1,
      updatedBy: actorIdOf(actor),
    });
    await insertHistory(tx, { serviceId: id, version: row.version + 1, action: 'publish', data: content as unknown as Record<string, unknown>, actorType: actor.type, actorId: actorIdOf(actor) });
    await bumpCatalogVersion(tx);
    await writeAudit(tx, { actor, action: 'catalog.service.publish', objectType: 'catalog_service', objectId: id, summary: { version: row.version + 1 } });
    return updated!.version;
  });
  invalidateCatalogIndex(ctx);
  return { version };
}

/** Drops the pending draft. */
export async function discardServiceDraft(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'catalog.edit');
  await ctx.db.transaction(async (tx) => {
    const row = await getServiceRow(tx, id);
    if (!row) throw new AppError('not_found', 'Die Leistung wurde nicht gefunden.');
    await updateServiceFields(tx, id, { draft: null });
    await insertHistory(tx, { serviceId: id, version: row.version, action: 'discard', data: {}, actorType: actor.type, actorId: actorIdOf(actor) });
    await writeAudit(tx, { actor, action: 'catalog.service.discard', objectType: 'catalog_service', objectId: id, summary: {} });
  });
}
