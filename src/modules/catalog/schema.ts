import { bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Raw bytes (PostgreSQL `bytea`); `pg` returns a Buffer, PGlite a Uint8Array – both are Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** Published content of a service plus an optional pending draft (staff edits). */
export const catalogServices = pgTable(
  'catalog_services',
  {
    /** Catalog id as given by the source (DLDB id or own id). */
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    leika: text('leika'),
    url: text('url'),
    descriptionHtml: text('description_html').notNull().default(''),
    description: text('description').notNull().default(''),
    documents: jsonb('documents').$type<string[]>().notNull().default([]),
    fees: text('fees'),
    processingTime: text('processing_time'),
    legalBasis: text('legal_basis'),
    department: text('department'),
    onlineUrl: text('online_url'),
    bookable: boolean('bookable').notNull().default(false),
    keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
    easyLanguage: text('easy_language'),
    /** Further languages (ISO 639-1, e.g. "en", "tr") in which advice is offered besides German. */
    languages: jsonb('languages').$type<string[]>().notNull().default([]),
    attribution: text('attribution'),
    sources: jsonb('sources').$type<string[]>().notNull().default([]),
    demo: boolean('demo').notNull().default(false),
    /** Internal records of a booking system (no citizen service); searchable but ranked low. */
    internal: boolean('internal').notNull().default(false),
    status: text('status').$type<'draft' | 'published'>().notNull().default('published'),
    /** Pending edit (same shape as the editable fields) until a staff member publishes it. */
    draft: jsonb('draft').$type<Record<string, unknown> | null>(),
    sourceFormat: text('source_format').$type<'lotse' | 'dldb' | 'manual'>().notNull().default('lotse'),
    extra: jsonb('extra').$type<Record<string, unknown>>().notNull().default({}),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [index('catalog_services_title_idx').on(t.title)],
);

/** Offices where a service is provided. */
export const catalogLocations = pgTable('catalog_locations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  address: text('address'),
  openingHours: text('opening_hours'),
  contact: jsonb('contact').$type<Record<string, string>>().notNull().default({}),
  demo: boolean('demo').notNull().default(false),
});

export const catalogServiceLocations = pgTable(
  'catalog_service_locations',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => catalogServices.id, { onDelete: 'cascade' }),
    locationId: text('location_id')
      .notNull()
      .references(() => catalogLocations.id, { onDelete: 'cascade' }),
    bookingUrl: text('booking_url'),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.locationId] })],
);

/** Lebenslagen (life situations) with their services in a suggested order. */
export const catalogLifeSituations = pgTable('catalog_life_situations', {
  slug: text('slug').primaryKey(),
  title: text('title').notNull(),
  titleEn: text('title_en'),
  intro: text('intro').notNull().default(''),
  position: integer('position').notNull().default(0),
});

export const catalogServiceLifeSituations = pgTable(
  'catalog_service_life_situations',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => catalogServices.id, { onDelete: 'cascade' }),
    slug: text('slug')
      .notNull()
      .references(() => catalogLifeSituations.slug, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.slug] })],
);

/** Synonyms the town edits (merged over the built-in list). */
export const catalogSynonyms = pgTable('catalog_synonyms', {
  term: text('term').primaryKey(),
  expansions: jsonb('expansions').$type<string[]>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

/** Every published version of a service, with who and when. */
export const catalogServiceHistory = pgTable(
  'catalog_service_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    serviceId: text('service_id').notNull(),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('catalog_history_service_idx').on(t.serviceId, t.id)],
);

/** One row: bumped on every catalog change so every instance rebuilds its search index. */
export const catalogState = pgTable('catalog_state', {
  id: integer('id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/**
 * Embedding vector of a published service for the optional hybrid search (`embeddings.ts`):
 * little-endian float32 in `bytea` (no pgvector needed), with the model that made it and a hash
 * of the embedded text, so unchanged services are not embedded again and a model change is noticed.
 */
export const catalogServiceEmbeddings = pgTable('catalog_service_embeddings', {
  serviceId: text('service_id')
    .primaryKey()
    .references(() => catalogServices.id, { onDelete: 'cascade' }),
  model: text('model').notNull(),
  dims: integer('dims').notNull(),
  contentHash: text('content_hash').notNull(),
  vector: bytea('vector').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
