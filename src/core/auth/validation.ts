import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { AppError, validationError } from '../errors.ts';
import { MIN_PASSWORD_LENGTH } from './password.ts';
import { ROLES } from './permissions.ts';

/** Shared zod pieces of the account use cases (German messages, shown next to the field). */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Bitte eine gültige E-Mail-Adresse angeben.' }));

export const roleSchema = z.enum(ROLES, { message: `Unbekannte Rolle. Erlaubt sind: ${ROLES.join(', ')}.` });

export const rolesSchema = z
  .array(roleSchema)
  .min(1, 'Mindestens eine Rolle wählen.')
  .transform((r) => [...new Set(r)]);

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Das Passwort muss mindestens ${MIN_PASSWORD_LENGTH} Zeichen lang sein.`)
  .max(200, 'Das Passwort darf höchstens 200 Zeichen lang sein.');

/** Parses input or throws AppError('validation') with one entry per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error.issues);
  return r.data;
}

/** Checks a department key against the town configuration. */
export function assertDepartment(ctx: AppContext, department: string | null | undefined): void {
  if (department && !ctx.town.departments.some((d) => d.key === department)) {
    throw new AppError('validation', 'Die Eingaben sind unvollständig oder fehlerhaft.', {
      fields: [
        { field: 'department', message: `Unbekannter Fachbereich. Erlaubt sind: ${ctx.town.departments.map((d) => d.key).join(', ')}.` },
      ],
    });
  }
}
