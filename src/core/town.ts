import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const townSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(2),
  shortName: z.string().min(2),
  ags: z.string().regex(/^\d{8}$/),
  state: z.string(),
  holidayRegion: z.object({ country: z.string().length(2), state: z.string().min(2) }),
  timeZone: z.string().default('Europe/Berlin'),
  website: z.url(),
  leitwegId: z.string().optional(),
  licensePlate: z.string().optional(),
  postcode: z.string().optional(),
  coatOfArms: z.object({ placeholder: z.boolean(), alt: z.string(), url: z.string().optional() }),
  contact: z.object({ email: z.email(), eInvoiceEmail: z.email().optional(), phone: z.string(), phoneDemo: z.boolean().optional() }),
  rathaus: z.object({ name: z.string(), address: z.string() }),
  buergerbuero: z.object({
    name: z.string(),
    address: z.string(),
    workstations: z.number().int().min(1),
    demo: z.boolean().optional(),
    openingHours: z.array(z.object({ day: z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), from: hhmm, to: hhmm })),
  }),
  departments: z.array(z.object({ key: z.string().regex(/^[a-z0-9-]+$/), name: z.string() })).min(1),
});

export type Town = z.infer<typeof townSchema>;

/** Loads and validates the town configuration (another town = another JSON file, no code change). */
export function loadTown(path: string): Town {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolve(path), 'utf8'));
  } catch (e) {
    throw new ConfigError(`Die Kommunen-Konfiguration LOTSE_TOWN=${path} ist nicht lesbar (${(e as Error).message}).`);
  }
  const parsed = townSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(`Die Kommunen-Konfiguration ${path} ist ungültig: Feld "${i.path.join('.')}" – ${i.message}.`);
  }
  return parsed.data;
}
