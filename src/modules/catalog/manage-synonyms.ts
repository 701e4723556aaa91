import { z } from 'zod';
import type { Actor } from '../../core/auth/actor.ts';
import { assertCan } from '../../core/auth/guard.ts';
import { writeAudit } from '../../core/audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { GERMAN_SYNONYMS, normalize } from '../../text/index.ts';
import { bumpCatalogVersion, deleteSynonym as deleteSynonymRow, listSynonymRows, upsertSynonym } from './repository.ts';
import { invalidateCatalogIndex } from './search-services.ts';

export interface SynonymEntry {
  term: string;
  expansions: string[];
  source: 'town' | 'builtin';
  updatedAt: string | null;
}

/** Town synonyms (editable) followed by the built-in list (read-only, can be overridden). */
export async function listSynonyms(ctx: AppContext): Promise<SynonymEntry[]> {
  const rows = await listSynonymRows(ctx.db);
  const town = rows.map((r) => ({ term: r.term, expansions: r.expansions, source: 'town' as const, updatedAt: r.updatedAt.toISOString() }));
  const own = new Set(town.map((t) => t.term));
  const builtin = Object.entries(GERMAN_SYNONYMS)
    .filter(([k]) => !own.has(k))
    .map(([term, expansions]) => ({ term, expansions, source: 'builtin' as const, updatedAt: null }));
  return [...town, ...builtin];
}

const synonymSchema = z.object({
  term: z
    .string()
    .trim()
    .min(2, 'Begriff fehlt')
    .max(100)
    .transform((s) => normalize(s))
    .refine((s) => s.length >= 2, 'Begriff enthält keine Buchstaben'),
  expansions: z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[,\n]/)).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(200)).min(1, 'mindestens ein Ersatzbegriff').max(20)),
});

/** Adds or changes a town synonym ("Knöllchen" → "Verwarnungsgeld"); search picks it up at once. */
export async function saveSynonym(ctx: AppContext, actor: Actor, input: unknown): Promise<{ term: string; expansions: string[] }> {
  assertCan(actor, 'catalog.edit');
  const parsed = synonymSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { term, expansions } = parsed.data;
  await ctx.db.transaction(async (tx) => {
    await upsertSynonym(tx, term, expansions, 'id' in actor ? (actor.id ?? null) : null);
    await bumpCatalogVersion(tx);
    await writeAudit(tx, { actor, action: 'catalog.synonym.save', objectType: 'catalog_synonym', objectId: term, summary: { expansions: expansions.length } });
  });
  invalidateCatalogIndex(ctx);
  return { term, expansions };
}

export async function deleteSynonym(ctx: AppContext, actor: Actor, term: string): Promise<void> {
  assertCan(actor, 'catalog.edit');
  await ctx.db.transaction(async (tx) => {
    if (!(await deleteSynonymRow(tx, term))) throw new AppError('not_found', 'Dieses Synonym gibt es nicht (eingebaute Einträge lassen sich nur überschreiben).');
    await bumpCatalogVersion(tx);
    await writeAudit(tx, { actor, action: 'catalog.synonym.delete', objectType: 'catalog_synonym', objectId: term, summary: {} });
  });
  invalidateCatalogIndex(ctx);
}
