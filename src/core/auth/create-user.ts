import { z } from 'zod';
import { writeAudit } from '../audit/index.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { assertCan } from './guard.ts';
import { generateOneTimePassword, hashPassword } from './password.ts';
import { findUserByEmail, insertUser } from './repository.ts';
import { assertDepartment, emailSchema, parseInput, rolesSchema } from './validation.ts';

export const createUserInput = z.object({
  email: emailSchema,
  displayName: z.string().trim().min(1, 'Bitte einen Namen angeben.').max(120, 'Der Name ist zu lang (höchstens 120 Zeichen).'),
  roles: rolesSchema,
  department: z
    .string()
    .trim()
    .nullish()
    .transform((d) => d || null),
});
/** Loosely typed on purpose: CLI and forms pass strings; validation happens inside. */
export interface CreateUserInput {
  email: string;
  displayName: string;
  roles: string[];
  department?: string | null;
}

export interface CreatedUser {
  id: string;
  email: string;
  /** Shown once to the person creating the account; never stored in clear text. */
  oneTimePassword: string;
}

/**
 * Creates a staff account with a random one-time password that must be changed at first login.
 * Needs `admin.users`. Audited as `user.create` (id and roles only, no name or e-mail).
 */
export async function createUser(ctx: AppContext, actor: Actor, input: CreateUserInput, requestId?: string): Promise<CreatedUser> {
  assertCan(actor, 'admin.users');
  const data = parseInput(createUserInput, input);
  assertDepartment(ctx, data.department);
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const user = await ctx.db.transaction(async (tx) => {
    if (await findUserByEmail(tx, data.email)) {
      throw new AppError('conflict', 'Für diese E-Mail-Adresse gibt es bereits ein Konto.', {
        fields: [{ field: 'email', message: 'Bereits vergeben.' }],
      });
    }
    const row = await insertUser(tx, { ...data, passwordHash, mustChangePassword: true });
    await writeAudit(tx, {
      actor,
      action: 'user.create',
      objectType: 'user',
      objectId: row.id,
      summary: { after: { roles: row.roles, department: row.department, active: true } },
      requestId: requestId ?? null,
    });
    return row;
  });
  return { id: user.id, email: user.email, oneTimePassword };
}
