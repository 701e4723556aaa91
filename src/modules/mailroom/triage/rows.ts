import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { describeJsonError } from '../../../core/json-syntax.ts';

/** A labelled training line (interfaces doc: `lotse triage train`). */
export const trainingLineSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  subject: z.string().nullable().optional().transform((s) => s ?? null),
  text: z.string(),
  category: z.string().trim().min(1),
  /** Optional intake metadata (e.g. the district of a portal report); used as a model feature when present. */
  district: z.string().nullable().optional(),
  /**
   * Optional finer label inside `category` (e.g. the portal subject the citizen picked). Only
   * shapes the model's term weights during training; never a feature, never read when classifying.
   */
  detail: z.string().nullable().optional(),
});

/** A seed example (`--seeds`): id optional. */
export const seedLineSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  subject: z.string().nullable().optional().transform((s) => s ?? null),
  text: z.string().min(1),
  category: z.string().trim().min(1),
});

/** An input line for batch classification (interfaces doc: `lotse triage --batch`). */
export const batchLineSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  subject: z.string().nullable().optional().transform((s) => s ?? null),
  text: z.string(),
  /** Optional intake metadata (e.g. the district of a portal report); used as a model feature when present. */
  district: z.string().nullable().optional(),
});

/**
 * Parses JSON Lines text with a schema; empty lines are skipped. Throws a validation
 * AppError naming `source:line` and the field for the first bad line.
 */
export function parseJsonLines<S extends z.ZodType>(content: string, schema: S, source = 'input'): z.output<S>[] {
  const out: z.output<S>[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      const where = describeJsonError(line, (e as Error).message, i + 1).text;
      throw new AppError('validation', `${source}: ${where}.`, { fields: [{ field: `${source}:${i + 1}`, message: where }] });
    }
    const r = schema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const field = issue.path.map(String).join('.') || '(root)';
      throw new AppError('validation', `${source}:${i + 1}: Feld "${field}" – ${issue.message}.`, { fields: [{ field: `${source}:${i + 1}:${field}`, message: issue.message }] });
    }
    out.push(r.data);
  }
  return out;
}
