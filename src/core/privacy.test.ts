import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modules } from '../modules/index.ts';
import { loadConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { collectPrivacyRecords, CORE_PRIVACY_RECORDS, PRIVACY_TEXT_FIELDS, type Localized } from './privacy.ts';

/** Column names that hold personal data (or point to a person) in a Drizzle schema. */
const PERSONAL_COLUMN =
  /\b(?:text|varchar|jsonb|bytea)\('(?:name|email|email_domain|phone|contact|ip_hash|sender|from_address|to_address|subject|message|question|comment|actor_id|updated_by|done_by|profile|body_text|raw)'/;

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? schemaFiles(p) : f === 'schema.ts' ? [p] : [];
  });
}

/** Enough context for the retention texts: config plus an empty settings table (mailroom periods). */
const fakeCtx = {
  config: loadConfig({}),
  db: { select: () => ({ from: () => ({ where: () => ({ limit: async () => [] }) }) }) },
} as unknown as AppContext;

describe('privacy records (GDPR Art. 13/30 transparency)', () => {
  const modulesDir = join(import.meta.dirname, '..', 'modules');

  it('every registered module whose tables hold personal data declares at least one record', () => {
    const withPersonalData = readdirSync(modulesDir).filter((m) => {
      const dir = join(modulesDir, m);
      return statSync(dir).isDirectory() && schemaFiles(dir).some((f) => PERSONAL_COLUMN.test(readFileSync(f, 'utf8')));
    });
    // The detector must see the known cases, or it has gone blind.
    expect(withPersonalData).toEqual(expect.arrayContaining(['appointments', 'assistant', 'mailroom', 'profile', 'catalog']));
    for (const name of withPersonalData) {
      const m = modules.find((x) => x.name === name);
      expect(m, `module ${name} is not registered`).toBeTruthy();
      expect(m!.privacy?.length ?? 0, `module ${name} stores personal data but declares no privacy record`).toBeGreaterThan(0);
    }
    // Insights declares its (anonymous) counts as well, so the page can say so.
    expect(modules.find((m) => m.name === 'insights')!.privacy?.length).toBeGreaterThan(0);
  });

  it('every record fills every field in German and English, with unique ids and known AI systems', async () => {
    const records = collectPrivacyRecords(modules);
    expect(records.length).toBeGreaterThanOrEqual(CORE_PRIVACY_RECORDS.length + 6);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    const aiIds = new Set(modules.flatMap((m) => m.aiSystems ?? []).map((s) => s.id));
    for (const r of records) {
      expect(r.id).toMatch(/^[a-z]+\.[a-z-]+$/);
      for (const f of PRIVACY_TEXT_FIELDS) {
        const v = r[f];
        const text: Localized =
          typeof v === 'function' ? await (v as (ctx: AppContext) => Localized | Promise<Localized>)(fakeCtx) : (v as Localized);
        expect(text.de.trim().length, `${r.id}.${f}.de`).toBeGreaterThan(0);
        expect(text.en.trim().length, `${r.id}.${f}.en`).toBeGreaterThan(0);
      }
      expect(r.legalBasis.de).toMatch(/Art\. \d/);
      expect(r.legalBasis.en).toMatch(/Art\. \d/);
      for (const id of r.aiSystems) expect(aiIds.has(id), `${r.id}: unknown AI system ${id}`).toBe(true);
      if (r.rights) expect(r.rights.de && r.rights.en).toBeTruthy();
    }
  });

  it('states the configured retention periods, not fixed ones', async () => {
    const byId = new Map(collectPrivacyRecords(modules).map((r) => [r.id, r]));
    const ctx = { config: loadConfig({ LOTSE_APPT_RETENTION_DAYS: '45', LOTSE_PROFILE_INACTIVE_MONTHS: '7' }) } as unknown as AppContext;
    const appt = byId.get('appointments.booking')!.retention;
    const prof = byId.get('profile.account')!.retention;
    expect(typeof appt).toBe('function');
    expect(typeof prof).toBe('function');
    expect(((await (appt as (c: AppContext) => Localized)(ctx)) as Localized).de).toContain('45 Tage');
    expect(((await (prof as (c: AppContext) => Localized)(ctx)) as Localized).en).toContain('7 months');
  });
});
