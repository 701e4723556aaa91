import type { AppContext } from '../context.ts';
import type { Actor } from './actor.ts';
import { assertCan } from './guard.ts';
import { listUsers as listUserRows } from './repository.ts';

export interface UserSummary {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  department: string | null;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** Every staff account (admin only), sorted by name. No password hashes. */
export async function listUsers(ctx: AppContext, actor: Actor): Promise<UserSummary[]> {
  assertCan(actor, 'admin.users');
  return (await listUserRows(ctx.db)).map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    roles: [...u.roles],
    department: u.department,
    active: u.active,
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  }));
}
