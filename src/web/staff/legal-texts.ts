import { z } from 'zod';
import { writeAudit } from '../../core/audit/index.ts';
import { assertCan, type Actor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import { validationError } from '../../core/errors.ts';
import { getSetting, setSetting } from '../../core/settings/index.ts';
import { LEGAL_PAGES } from '../legal-pages.ts';

export const LEGAL_KEYS = ['impressum', 'datenschutz', 'barrierefreiheit'] as const;
export type LegalKey = (typeof LEGAL_KEYS)[number];

const text = z
  .string()
  .transform((s) => s.replace(/\r\n/g, '\n').trim())
  .pipe(z.string().min(1, 'Bitte einen Text eingeben.').max(50_000, 'Der Text ist zu lang (höchstens 50.000 Zeichen).'));
const legalTextsInput = z.object({ impressum: text, datenschutz: text, barrierefreiheit: text });

/** Current texts of the legal pages (the placeholder where the town has not set one yet). */
export async function getLegalTexts(ctx: AppContext): Promise<Record<LegalKey, { text: string; isPlaceholder: boolean }>> {
  const out = {} as Record<LegalKey, { text: string; isPlaceholder: boolean }>;
  for (const k of LEGAL_KEYS) {
    const v = await getSetting<string | null>(ctx.db, `legal.${k}`, null);
    out[k] = v === null ? { text: LEGAL_PAGES[k].placeholder, isPlaceholder: true } : { text: String(v), isPlaceholder: false };
  }
  return out;
}

/**
 * Saves imprint, privacy and accessibility statements (needs `admin.settings`). Only changed
 * texts are written; one audit entry `settings.legal_update` lists the changed keys and
 * lengths (not the text).
 * @returns the keys that changed.
 */
export async function updateLegalTexts(
  ctx: AppContext,
  actor: Actor,
  input: Record<string, unknown>,
  requestId?: string,
): Promise<LegalKey[]> {
  assertCan(actor, 'admin.settings');
  const r = legalTextsInput.safeParse(input);
  if (!r.success) throw validationError(r.error.issues);
  const current = await getLegalTexts(ctx);
  const changed = LEGAL_KEYS.filter((k) =>
    current[k].isPlaceholder ? r.data[k] !== current[k].text.trim() : r.data[k] !== current[k].text,
  );
  if (changed.length === 0) return [];
  const updatedBy = actor.type === 'user' ? actor.id : null;
  await ctx.db.transaction(async (tx) => {
    for (const k of changed) await setSetting(tx, `legal.${k}`, r.data[k], updatedBy);
    await writeAudit(tx, {
      actor,
      action: 'settings.legal_update',
      objectType: 'setting',
      objectId: changed.map((k) => `legal.${k}`).join(','),
      summary: {
        changed: changed.map((k) => ({
          key: `legal.${k}`,
          beforeLength: current[k].isPlaceholder ? null : current[k].text.length,
          afterLength: r.data[k].length,
        })),
      },
      requestId: requestId ?? null,
    });
  });
  return changed;
}
