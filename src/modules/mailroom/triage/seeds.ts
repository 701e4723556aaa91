import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { describeJsonError } from '../../../core/json-syntax.ts';

/**
 * Seed examples for `trainModel` (always trained, never held out), built from label metadata a
 * town has anyway: the descriptions of its categories and the subject list of its reporting portal.
 * One implementation for the product (`lotse triage train`) and the benchmark (bench/triage.mjs).
 */
export interface SeedRow {
  subject: string | null;
  text: string;
  category: string;
}

/** Category definitions: `{groups: {key: {label, description}}}` (format of the benchmark's categories.json). */
export const categoryDescriptionsSchema = z.object({
  groups: z.record(
    z.string().trim().min(1),
    z.looseObject({ label: z.string().optional().default(''), description: z.string().optional().default('') }),
  ),
});
export type CategoryDescriptions = z.output<typeof categoryDescriptionsSchema>;

/** Town setting with the triage categories' definitions (same format), used when no file is given. */
export const TRIAGE_CATEGORIES_SETTING = 'mailroom.triageCategories';

/** Parses a categories file; bad content is a validation error naming the file and field. */
export function parseCategoryDescriptions(content: string, source = 'categories.json'): CategoryDescriptions {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (e) {
    const where = describeJsonError(content, (e as Error).message).text;
    throw new AppError('validation', `${source}: ${where}.`, { fields: [{ field: source, message: where }] });
  }
  const r = categoryDescriptionsSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(root)';
    throw new AppError(
      'validation',
      `${source}: Feld "${field}" – ${issue.message} (erwartet {"groups": {"schlüssel": {"label", "description"}}}).`,
      {
        fields: [{ field: `${source}:${field}`, message: issue.message }],
      },
    );
  }
  return r.data;
}

/**
 * One seed per category label and one per phrase of its description (split at , . ; "und" "oder";
 * parentheses become their own phrases; phrases of ≤ 2 characters dropped). Only categories in
 * `known` (the training rows' categories) give seeds; other keys are ignored.
 */
export function descriptionSeeds(groups: CategoryDescriptions['groups'], known?: ReadonlySet<string>): SeedRow[] {
  return Object.entries(groups)
    .filter(([category]) => !known || known.has(category))
    .flatMap(([category, g]) => [
      ...(g.label.trim() ? [{ subject: null, text: g.label, category }] : []),
      ...String(g.description)
        .replace(/\(([^)]*)\)/g, ', $1')
        .split(/[,.;]|\s+und\s+|\s+oder\s+/)
        .map((p) => p.trim())
        .filter((p) => p.length > 2)
        .map((text) => ({ subject: null, text, category })),
    ]);
}

/**
 * The portal's own subject list as far as it occurs in the training rows' optional `detail`
 * ("Lärm - Gaststätte", "Winterdienst - Gehwege" …): only subjects whose prefix before " - " is
 * shared by ≥ 2 distinct subjects (the portal's menu, not free text), each with the category of
 * its (last) training row, text with the first " - " replaced by a space.
 */
export function portalSubjectSeeds(rows: readonly { detail?: string | null; category: string }[]): SeedRow[] {
  const details = [...new Map(rows.filter((r) => r.detail).map((r) => [r.detail!.trim(), r.category])).entries()];
  const prefix = (d: string) => /^([^-]+?) - \S/.exec(d)?.[1];
  const count: Record<string, number> = {};
  for (const [d] of details) {
    const p = prefix(d);
    if (p) count[p] = (count[p] ?? 0) + 1;
  }
  return details
    .filter(([d]) => (count[prefix(d) ?? ''] ?? 0) >= 2)
    .map(([d, category]) => ({ subject: null, text: d.replace(' - ', ' '), category }));
}
