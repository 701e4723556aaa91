import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import type { Actor } from '../../core/auth/actor.ts';
import { assertCan } from '../../core/auth/guard.ts';
import { writeAudit } from '../../core/audit/index.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, type FieldError } from '../../core/errors.ts';
import { dldbLocationsFileSchema, dldbServicesFileSchema, lotseCatalogSchema, type LotseCatalog } from './catalog-format.ts';
import { describeJsonError } from '../../core/json-syntax.ts';
import { lineOfPath } from './json-position.ts';
import {
  bumpCatalogVersion,
  deleteAllCatalog,
  insertHistory,
  upsertLifeSituation,
  upsertLocation,
  upsertService,
  type LocationInsert,
  type ServiceInsert,
} from './repository.ts';
import { htmlToPlain, sanitizeServiceHtml, toPlainLine, toPlainLineOrNull, toPlainLines, toPlainOrNull, toPlainText } from './sanitize.ts';
import { invalidateCatalogIndex } from './search-services.ts';
import { catalogLifeSituations, catalogLocations } from './schema.ts';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
export const MUNICH_ATTRIBUTION = 'Landeshauptstadt München (CC BY 4.0, via it-at-m/eappointment)';

export interface NormalisedCatalog {
  format: 'lotse' | 'dldb';
  locations: LocationInsert[];
  lifeSituations: { slug: string; title: string; titleEn: string | null; intro: string; position: number; order?: string[] }[];
  services: { row: ServiceInsert; locations: { id: string; bookingUrl: string | null }[]; lifeSituations: string[] }[];
}

function fail(file: string, message: string, fields: FieldError[]): never {
  throw new AppError('validation', `${file}: ${message}`, { fields });
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // German, with line and column (V8 often names only a character position).
    const d = describeJsonError(text, (e as Error).message);
    fail(file, `${d.text}.`, [{ field: `Zeile ${d.line}, Spalte ${d.column}`, message: d.text }]);
  }
}

function zodFields(text: string, issues: z.core.$ZodIssue[], prefix: (string | number)[] = []): FieldError[] {
  return issues.slice(0, 20).map((i) => {
    const path = [...prefix, ...(i.path as (string | number)[])];
    const line = lineOfPath(text, path);
    const name = path.map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? p : `.${p}`)).join('') || '(Wurzel)';
    return { field: line ? `Zeile ${line}, ${name}` : name, message: i.message };
  });
}

function toLotse(file: string, text: string, raw: unknown): NormalisedCatalog {
  const parsed = lotseCatalogSchema.safeParse(raw);
  if (!parsed.success) fail(file, 'Der Katalog entspricht nicht dem Format "lotse-catalog" (siehe docs/modules/catalog.md).', zodFields(text, parsed.error.issues));
  const cat: LotseCatalog = parsed.data;
  const ids = new Set<string>();
  const errors: FieldError[] = [];
  cat.services.forEach((s, i) => {
    if (ids.has(s.id)) errors.push({ field: `Zeile ${lineOfPath(text, ['services', i, 'id'])}, services[${i}].id`, message: `doppelte ID "${s.id}"` });
    ids.add(s.id);
  });
  if (errors.length) fail(file, 'Der Katalog enthält doppelte IDs.', errors);
  // Only the description is HTML; every other text becomes plain text (tags removed, entities decoded).
  const emptyAfterCleaning = (path: (string | number)[]) => {
    const name = path.map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? p : `.${p}`)).join('');
    errors.push({ field: `Zeile ${lineOfPath(text, path)}, ${name}`, message: 'ist ohne HTML-Tags leer' });
  };
  const locations = cat.locations.map((l, i) => {
    const name = toPlainLine(l.name);
    if (!name) emptyAfterCleaning(['locations', i, 'name']);
    const contact = Object.fromEntries(Object.entries(l.contact ?? {}).map(([k, v]) => [toPlainLine(k), toPlainLine(v)] as const).filter(([k, v]) => k && v));
    return { id: l.id, name, address: toPlainLineOrNull(l.address), openingHours: toPlainOrNull(l.openingHours), contact, demo: cat.demo };
  });
  const lifeSituations = cat.lifeSituations.map((l, i) => {
    const title = toPlainLine(l.title);
    if (!title) emptyAfterCleaning(['lifeSituations', i, 'title']);
    return { slug: l.slug, title, titleEn: toPlainLineOrNull(l.titleEn), intro: toPlainText(l.intro), position: i, order: l.services };
  });
  const titles = cat.services.map((s, i) => {
    const title = toPlainLine(s.title);
    if (!title) emptyAfterCleaning(['services', i, 'title']);
    return title;
  });
  if (errors.length) fail(file, 'Ein Pflichttext besteht nur aus HTML-Tags.', errors);
  return {
    format: 'lotse',
    locations,
    lifeSituations,
    services: cat.services.map((s, i) => {
      const html = sanitizeServiceHtml(s.description);
      return {
        row: {
          id: s.id,
          title: titles[i]!,
          leika: s.leika ?? null,
          url: s.url ?? null,
          descriptionHtml: html,
          description: htmlToPlain(html),
          documents: toPlainLines(s.documents),
          fees: toPlainOrNull(s.fees),
          processingTime: toPlainOrNull(s.processingTime),
          legalBasis: toPlainOrNull(s.legalBasis),
          department: toPlainLineOrNull(s.department),
          onlineUrl: s.onlineUrl ?? null,
          bookable: s.bookable,
          keywords: toPlainLines(s.keywords),
          easyLanguage: toPlainOrNull(s.easyLanguage),
          languages: s.languages,
          attribution: toPlainLineOrNull(cat.attribution),
          sources: s.sources,
          demo: cat.demo,
          internal: false,
          status: s.status,
          draft: null,
          sourceFormat: 'lotse',
          extra: {},
        },
        locations: s.locations.map((id) => ({ id, bookingUrl: null })),
        lifeSituations: s.lifeSituations,
      };
    }),
  };
}

function toDldb(file: string, text: string, raw: unknown): NormalisedCatalog {
  const parsed = dldbServicesFileSchema.safeParse(raw);
  if (!parsed.success) fail(file, 'Die DLDB-Datei hat nicht die erwartete Struktur ({"data": [Leistung, …]}).', zodFields(text, parsed.error.issues));
  // locations_de.json next to services_de.json (or services_XX → locations_XX).
  const locFile = join(dirname(file), basename(file).replace(/^services/, 'locations'));
  const locations: LocationInsert[] = [];
  const orgUnit = new Map<string, string>();
  if (locFile !== file && existsSync(locFile)) {
    const locText = readFileSync(locFile, 'utf8');
    const lp = dldbLocationsFileSchema.safeParse(parseJson(locFile, locText));
    if (!lp.success) fail(locFile, 'Die DLDB-Standortdatei hat nicht die erwartete Struktur.', zodFields(locText, lp.error.issues));
    for (const l of lp.data.data) {
      const a = l.address;
      const address = a ? [[a.street, a.house_number].filter(Boolean).join(' '), [a.postal_code, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : null;
      const contact: Record<string, string> = {};
      for (const [k, v] of Object.entries(l.contact ?? {})) if (['email', 'phone', 'fax', 'webinfo'].includes(k) && typeof v === 'string' && toPlainLine(v)) contact[k] = toPlainLine(v);
      const name = toPlainLine(l.displayName) || toPlainLine(l.name) || l.id;
      locations.push({ id: l.id, name, address: toPlainLineOrNull(address), openingHours: null, contact, demo: false });
      const ou = (l as { organizationUnit?: unknown }).organizationUnit;
      if (typeof ou === 'string' && toPlainLine(ou)) orgUnit.set(l.id, toPlainLine(ou));
    }
  }
  const knownLoc = new Set(locations.map((l) => l.id));
  const seen = new Set<string>();
  const services: NormalisedCatalog['services'] = [];
  parsed.data.data.forEach((s, i) => {
    if (seen.has(s.id)) fail(file, 'Die Datei enthält doppelte IDs.', [{ field: `Zeile ${lineOfPath(text, ['data', i, 'id'])}, data[${i}].id`, message: `doppelte ID "${s.id}"` }]);
    seen.add(s.id);
    const html = sanitizeServiceHtml(s.description);
    const plain = htmlToPlain(html);
    const fees = toPlainOrNull(s.fees);
    const title = toPlainLine(s.name);
    if (!title) fail(file, 'Ein Leistungsname besteht nur aus HTML-Tags.', [{ field: `Zeile ${lineOfPath(text, ['data', i, 'name'])}, data[${i}].name`, message: 'ist ohne HTML-Tags leer' }]);
    const leika = s.leika != null && String(s.leika).trim() ? String(s.leika).trim() : null;
    const keywords = toPlainLines(toPlainLine(s.meta?.keywords).split(','));
    const links = toPlainLines((s.links ?? []).map((l) => (l && typeof l === 'object' && 'name' in l ? String((l as { name: unknown }).name ?? '') : '')));
    const locs = (s.locations ?? []).filter((l) => knownLoc.has(l.location)).map((l) => ({ id: l.location, bookingUrl: l.appointment?.link ?? null }));
    const dep = locs.map((l) => orgUnit.get(l.id)).find(Boolean) ?? toPlainLineOrNull(s.authorities?.[0]?.name);
    services.push({
      row: {
        id: s.id,
        title,
        leika,
        url: s.meta?.url ? s.meta.url.replace('{serviceId}', s.id) : null,
        descriptionHtml: html,
        description: plain,
        documents: [],
        fees,
        processingTime: null,
        legalBasis: null,
        department: dep,
        onlineUrl: null,
        bookable: false,
        keywords,
        easyLanguage: null,
        // The DLDB export has no field for advice languages (meta.locale is the language of the text).
        languages: [],
        attribution: MUNICH_ATTRIBUTION,
        sources: [],
        demo: false,
        // Appointment types of the booking system without a LeiKa key and without a real text.
        internal: !leika && plain.length < 40,
        status: 'published',
        draft: null,
        sourceFormat: 'dldb',
        extra: { public: s.public ?? null, duration: s.duration ?? null, links },
      },
      locations: locs,
      lifeSituations: [],
    });
  });
  if (services.length === 0) fail(file, 'Die Datei enthält keine Leistungen.', [{ field: 'data', message: 'leer' }]);
  return { format: 'dldb', locations, lifeSituations: [], services };
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A DLDB service record has at least one service field (the locations file has none of them). */
export function isDldbServiceRecord(r: unknown): boolean {
  return isRecord(r) && (['description', 'leika', 'fees'].some((k) => k in r) || Array.isArray(r['locations']));
}

/** A DLDB location record: address, geo data or a list of offered services, and no service field. */
export function isDldbLocationRecord(r: unknown): boolean {
  return isRecord(r) && !isDldbServiceRecord(r) && (isRecord(r['address']) || isRecord(r['geo']) || Array.isArray(r['services']));
}

/**
 * `{"data": [...]}` is only a DLDB services export if its records carry service fields.
 * The locations file (`locations_de.json`) has the same shape; importing it alone would turn
 * every office into a "service", so it is refused with a hint to import the services file.
 */
function checkDldbServices(file: string, text: string, data: unknown[]): void {
  if (data.length === 0) return;
  const at = (i: number) => `Zeile ${lineOfPath(text, ['data', i])}, data[${i}]`;
  if (data.every(isDldbLocationRecord)) {
    const sibling = join(dirname(file), basename(file).replace(/^locations/, 'services'));
    const hint =
      sibling !== file && existsSync(sibling)
        ? ` Importieren Sie die Leistungsdatei: lotse catalog import ${sibling} – die Standorte aus ${basename(file)} werden dabei automatisch übernommen.`
        : ' Importieren Sie die Leistungsdatei des Exports (z. B. services_de.json); eine Standortdatei (locations_de.json) im selben Ordner wird dabei automatisch gelesen.';
    fail(file, `Die Datei enthält Standorte (DLDB-Standortdatei, ${data.length} Einträge mit Adresse und Geodaten), keine Leistungen. Es wurde nichts importiert.${hint}`, [
      { field: at(0), message: 'Standort (address, geo, services), keine Leistung (name, description, leika, fees)' },
    ]);
  }
  const bad = data.findIndex((r) => !isDldbServiceRecord(r));
  if (bad >= 0)
    fail(file, 'Die Datei ist kein DLDB-Leistungsexport: Einträge in "data" brauchen Leistungsfelder (description, leika, fees oder locations). Es wurde nichts importiert.', [
      { field: at(bad), message: isDldbLocationRecord(data[bad]) ? 'Standort statt Leistung' : 'keine Leistungsfelder (description, leika, fees, locations)' },
    ]);
}

/** Path of the first string (key or value) that contains a NUL character (PostgreSQL text cannot store it). */
function findNul(v: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path : null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = findNul(v[i], [...path, i]);
      if (p) return p;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('\u0000')) return [...path, k];
      const p = findNul(x, [...path, k]);
      if (p) return p;
    }
  }
  return null;
}

/** Reads and validates a catalog file (either format); throws AppError('validation') naming line and field. */
export function readCatalogFile(file: string): NormalisedCatalog {
  if (!existsSync(file)) throw new AppError('bad_request', `${file}: Datei nicht gefunden.`);
  const st = statSync(file);
  if (!st.isFile()) throw new AppError('bad_request', `${file}: keine Datei.`);
  if (st.size > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', `${file}: Datei ist größer als ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  const text = readFileSync(file, 'utf8');
  if (text.includes('\u0000')) fail(file, 'Die Datei ist keine Textdatei (JSON erwartet).', [{ field: '(Datei)', message: 'Binärdaten' }]);
  const raw = parseJson(file, text.replace(/^\uFEFF/, ''));
  // An escaped NUL ("\u0000") would otherwise fail inside the database transaction.
  const nul = findNul(raw);
  if (nul) {
    const line = lineOfPath(text, nul);
    const name = nul.map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? p : `.${p}`)).join('');
    fail(file, 'Die Datei enthält ein Nullzeichen (\\u0000) in einem Text.', [{ field: line ? `Zeile ${line}, ${name}` : name, message: 'Nullzeichen nicht erlaubt' }]);
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && (raw as { format?: unknown }).format === 'lotse-catalog') return toLotse(file, text, raw);
  if (raw && typeof raw === 'object' && Array.isArray((raw as { data?: unknown }).data)) {
    checkDldbServices(file, text, (raw as { data: unknown[] }).data);
    return toDldb(file, text, raw);
  }
  fail(file, 'Unbekanntes Katalogformat: erwartet "lotse-catalog" (Feld "format") oder einen DLDB-Export ({"data": [...]}).', [{ field: 'format', message: 'fehlt oder unbekannt' }]);
}

/**
 * Imports a catalog file in one transaction: either everything is stored or nothing.
 * With `replace`, the existing catalog (services, locations, life situations) is removed first;
 * otherwise services with the same id are updated. Town synonyms are kept.
 */
export async function importCatalog(ctx: AppContext, actor: Actor, file: string, opts: { replace: boolean }): Promise<{ imported: number; format: 'lotse' | 'dldb' }> {
  assertCan(actor, 'catalog.edit');
  const cat = readCatalogFile(file);
  await storeCatalog(ctx, actor, cat, { replace: opts.replace, action: 'import' });
  return { imported: cat.services.length, format: cat.format };
}

/** Stores a normalised catalog (import and demo seed). */
export async function storeCatalog(ctx: AppContext, actor: Actor, cat: NormalisedCatalog, opts: { replace: boolean; action: string }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    if (opts.replace) await deleteAllCatalog(tx);
    for (const l of cat.locations) await upsertLocation(tx, l);
    for (const { order: _order, ...l } of cat.lifeSituations) await upsertLifeSituation(tx, l);
    const orderOf = new Map(cat.lifeSituations.map((l) => [l.slug, l.order ?? []]));
    // References must exist in the file or already in the database.
    const locIds = new Set((await tx.select({ id: catalogLocations.id }).from(catalogLocations)).map((r) => r.id));
    const lsSlugs = new Set((await tx.select({ slug: catalogLifeSituations.slug }).from(catalogLifeSituations)).map((r) => r.slug));
    const errors: FieldError[] = [];
    cat.services.forEach((s, i) => {
      for (const l of s.locations) if (!locIds.has(l.id)) errors.push({ field: `services[${i}].locations`, message: `unbekannter Standort "${l.id}"` });
      for (const l of s.lifeSituations) if (!lsSlugs.has(l)) errors.push({ field: `services[${i}].lifeSituations`, message: `unbekannte Lebenslage "${l}"` });
    });
    if (errors.length) throw new AppError('validation', 'Der Katalog verweist auf unbekannte Standorte oder Lebenslagen.', { fields: errors.slice(0, 20) });
    const actorId = 'id' in actor ? (actor.id ?? null) : null;
    const positions = new Map<string, number>();
    for (const s of cat.services) {
      const version = await upsertService(tx, s.row, {
        locations: s.locations,
        lifeSituations: s.lifeSituations.map((slug) => {
          const p = (positions.get(slug) ?? 0) + 1;
          positions.set(slug, p);
          const explicit = orderOf.get(slug)?.indexOf(s.row.id) ?? -1;
          return { slug, position: explicit >= 0 ? explicit + 1 : 1000 + p };
        }),
      });
      await insertHistory(tx, { serviceId: s.row.id, version, action: opts.action, data: { ...s.row, draft: null }, actorType: actor.type, actorId });
    }
    await bumpCatalogVersion(tx);
    await writeAudit(tx, {
      actor,
      action: `catalog.${opts.action}`,
      objectType: 'catalog',
      objectId: null,
      summary: { format: cat.format, services: cat.services.length, locations: cat.locations.length, replace: opts.replace },
    });
  });
  invalidateCatalogIndex(ctx);
}
