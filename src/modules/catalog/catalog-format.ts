import { z } from 'zod';

/**
 * The project's own catalog JSON ("lotse-catalog", version 1). Documented in
 * docs/modules/catalog.md. HTML is allowed in `description` and is sanitised on import.
 */
const text = (max: number) => z.string().trim().max(max);
const optText = (max: number) => z.string().trim().max(max).nullable().optional();
const url = z
  .string()
  .trim()
  .max(2000)
  .regex(/^(https?:\/\/|\/)/, 'muss mit https://, http:// oder / beginnen');

const knownLanguages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** True for a two-letter ISO 639-1 code that ICU knows (e.g. "en", "tr"; not "xx"). */
export function isLanguageCode(code: string): boolean {
  return /^[a-z]{2}$/.test(code) && knownLanguages.of(code) !== undefined;
}

/**
 * Further languages in which advice is offered besides German: ISO 639-1 codes, lower case,
 * without duplicates. "de" is implicit and dropped.
 */
export const languagesSchema = z
  .array(
    z
      .string()
      .trim()
      .transform((s) => s.toLowerCase())
      .refine(isLanguageCode, 'Sprache als ISO-639-1-Code angeben (zwei Buchstaben, z. B. "en", "tr")'),
  )
  .max(30)
  .transform((codes) => [...new Set(codes)].filter((c) => c !== 'de'));

export const lotseLocationSchema = z.object({
  id: text(100).min(1, 'ID fehlt'),
  name: text(300).min(1, 'Name fehlt'),
  address: optText(500),
  openingHours: optText(2000),
  contact: z.record(z.string(), z.string().max(300)).optional(),
});

export const lotseLifeSituationSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]{2,60}$/, 'nur Kleinbuchstaben, Ziffern und Bindestriche'),
  title: text(200).min(1, 'Titel fehlt'),
  titleEn: optText(200),
  intro: text(4000).optional(),
  /** Suggested order of services (ids) – used for "next steps"; others follow in file order. */
  services: z.array(z.string()).max(500).optional(),
});

export const lotseServiceSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'nur Buchstaben, Ziffern, Punkt, Bindestrich, Unterstrich'),
  title: text(300).min(1, 'Titel fehlt'),
  leika: z
    .string()
    .regex(/^\d{14}$/, 'LeiKa-Schlüssel hat 14 Ziffern')
    .nullable()
    .optional(),
  url: url.nullable().optional(),
  description: text(100_000).default(''),
  documents: z.array(text(1000)).max(100).default([]),
  fees: optText(5000),
  processingTime: optText(1000),
  legalBasis: optText(2000),
  department: optText(300),
  locations: z.array(text(100)).max(50).default([]),
  onlineUrl: url.nullable().optional(),
  bookable: z.boolean().default(false),
  lifeSituations: z.array(z.string()).max(20).default([]),
  keywords: z.array(text(200)).max(200).default([]),
  easyLanguage: optText(20_000),
  /** Languages of advice besides German (ISO 639-1), e.g. ["en", "tr"]. */
  languages: languagesSchema.default([]),
  sources: z.array(url).max(30).default([]),
  status: z.enum(['draft', 'published']).default('published'),
});

export const lotseCatalogSchema = z.object({
  format: z.literal('lotse-catalog'),
  version: z.literal(1),
  attribution: optText(300),
  demo: z.boolean().default(false),
  locations: z.array(lotseLocationSchema).default([]),
  lifeSituations: z.array(lotseLifeSituationSchema).default([]),
  services: z.array(lotseServiceSchema).min(1, 'mindestens eine Leistung'),
});

export type LotseCatalog = z.infer<typeof lotseCatalogSchema>;
export type LotseService = z.infer<typeof lotseServiceSchema>;

/** Minimal shape check of a DLDB export (`services_de.json`). Unknown fields are ignored. */
export const dldbServiceSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  name: z.string().min(1, 'Name fehlt'),
  description: z.string().nullable().optional(),
  fees: z.string().nullable().optional(),
  leika: z.union([z.string(), z.number()]).nullable().optional(),
  public: z.boolean().optional(),
  meta: z
    .object({ url: z.string().nullable().optional(), keywords: z.string().nullable().optional(), lastupdate: z.string().nullable().optional() })
    .passthrough()
    .optional(),
  authorities: z.array(z.object({ name: z.string().nullable().optional() }).passthrough()).nullable().optional(),
  locations: z
    .array(
      z
        .object({
          location: z.union([z.string(), z.number()]).transform(String),
          appointment: z.object({ link: z.string().nullable().optional(), allowed: z.boolean().nullable().optional() }).passthrough().nullable().optional(),
        })
        .passthrough(),
    )
    .nullable()
    .optional(),
  links: z.array(z.unknown()).nullable().optional(),
  forms: z.array(z.unknown()).nullable().optional(),
  duration: z.number().nullable().optional(),
});

export const dldbServicesFileSchema = z.object({ data: z.array(dldbServiceSchema) });

export const dldbLocationSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    name: z.string().min(1),
    displayName: z.string().nullable().optional(),
    address: z
      .object({ street: z.string().nullable().optional(), house_number: z.string().nullable().optional(), postal_code: z.string().nullable().optional(), city: z.string().nullable().optional() })
      .passthrough()
      .nullable()
      .optional(),
    contact: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .passthrough();

export const dldbLocationsFileSchema = z.object({ data: z.array(dldbLocationSchema) });
