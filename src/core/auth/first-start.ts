import { sql } from 'drizzle-orm';
import { writeAudit } from '../audit/index.ts';
import type { AppContext } from '../context.ts';
import { systemActor } from './actor.ts';
import { generateOneTimePassword, hashPassword } from './password.ts';
import { countActiveAdmins, findUserByEmail, insertUser } from './repository.ts';

/**
 * First start: when there is no active administrator (normally: no account at all), creates an administrator with the e-mail from
 * `LOTSE_ADMIN_EMAIL` and a random one-time password, which is written ONCE to stderr (never
 * to the logger, whose output may be shipped elsewhere). The password must be changed at the
 * first login. Safe with several instances starting at once (advisory lock).
 *
 * @returns the one-time password when an admin was created, else null.
 */
export async function ensureFirstAdmin(
  ctx: AppContext,
  write: (s: string) => void = (s) => process.stderr.write(s),
): Promise<string | null> {
  if ((await countActiveAdmins(ctx.db)) > 0) return null;
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const created = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7405313)`);
    if ((await countActiveAdmins(tx)) > 0) return null;
    if (await findUserByEmail(tx, ctx.config.LOTSE_ADMIN_EMAIL)) {
      write(
        `Hinweis: Es gibt kein aktives Administrationskonto, aber LOTSE_ADMIN_EMAIL gehört schon zu einem anderen Konto. ` +
          `Setzen Sie LOTSE_ADMIN_EMAIL auf eine neue Adresse, um beim nächsten Start ein Administrationskonto anzulegen.\n`,
      );
      return null;
    }
    const user = await insertUser(tx, {
      email: ctx.config.LOTSE_ADMIN_EMAIL,
      displayName: 'Administration',
      passwordHash,
      roles: ['admin'],
      department: null,
      mustChangePassword: true,
    });
    await writeAudit(tx, {
      actor: systemActor('first-start'),
      action: 'user.create',
      objectType: 'user',
      objectId: user.id,
      summary: { after: { roles: ['admin'], active: true }, firstStart: true },
    });
    return user;
  });
  if (!created) return null;
  ctx.log.info({ event: 'first_start.admin_created' }, 'Erstes Administrationskonto angelegt');
  write(
    `\n=== Erster Start: Administrationskonto angelegt ===\n` +
      `E-Mail:                 ${created.email}\n` +
      `Einmal-Passwort:        ${oneTimePassword}\n` +
      `Anmeldung unter ${ctx.config.baseUrl}/anmelden – beim ersten Anmelden muss ein neues Passwort gewählt werden.\n` +
      `Dieses Passwort wird nicht noch einmal angezeigt.\n` +
      `==================================================\n\n`,
  );
  return oneTimePassword;
}
