import type { Command } from 'commander';
import { cliActor, createUser, listUsers, resetPassword, ROLES, setUserActive, setUserRoles } from '../../core/auth/index.ts';
import { findUserByEmail } from '../../core/auth/repository.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { CliError, EXIT, printJson, withContext } from '../run.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

function checkRoles(roles: string[]): string[] {
  if (roles.length === 0) throw new CliError(`Mindestens eine Rolle angeben: --role ROLLE (erlaubt: ${ROLES.join(', ')}).`, EXIT.usage);
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r))
      throw new CliError(`Unbekannte Rolle "${r}" bei --role. Erlaubt sind: ${ROLES.join(', ')}.`, EXIT.usage);
  }
  return roles;
}

function checkDepartment(ctx: AppContext, department: string | undefined): void {
  if (department && !ctx.town.departments.some((d) => d.key === department)) {
    throw new CliError(
      `Unbekannter Fachbereich "${department}" bei --department. Erlaubt sind: ${ctx.town.departments.map((d) => d.key).join(', ')}.`,
      EXIT.usage,
    );
  }
}

async function userIdByEmail(ctx: AppContext, email: string): Promise<string> {
  const u = await findUserByEmail(ctx.db, email);
  if (!u) throw new CliError(`Kein Konto mit der E-Mail-Adresse "${email}" (--email).`, EXIT.usage);
  return u.id;
}

/** `lotse users …`: manage staff accounts from the shell (same use cases as the admin pages). */
export function register(program: Command): void {
  const users = program.command('users').description('Konten der Beschäftigten verwalten');

  users
    .command('create')
    .description('Konto anlegen; gibt das Einmal-Passwort aus (muss bei der ersten Anmeldung geändert werden)')
    .requiredOption('--email <email>', 'dienstliche E-Mail-Adresse')
    .requiredOption('--name <name>', 'Anzeigename')
    .option('--role <role>', `Rolle, mehrfach möglich (${ROLES.join(', ')})`, collect, [] as string[])
    .option('--department <key>', 'Fachbereich aus der Kommunenkonfiguration')
    .option('--json', 'Ergebnis als JSON auf stdout')
    .action(async (opts: { email: string; name: string; role: string[]; department?: string; json?: boolean }) => {
      const roles = checkRoles(opts.role);
      await withContext(async (ctx) => {
        checkDepartment(ctx, opts.department);
        const created = await createUser(ctx, cliActor, {
          email: opts.email,
          displayName: opts.name,
          roles,
          department: opts.department ?? null,
        }).catch((e: unknown) => {
          // An e-mail that is already taken is bad input (exit 2), not a found problem.
          if (e instanceof AppError && e.code === 'conflict') throw new CliError(`${e.message} (--email)`, EXIT.usage);
          throw e;
        });
        if (opts.json)
          printJson({
            id: created.id,
            email: created.email,
            roles: [...new Set(roles)],
            department: opts.department ?? null,
            oneTimePassword: created.oneTimePassword,
          });
        else {
          process.stdout.write(`Konto angelegt: ${created.email} (id ${created.id})\nEinmal-Passwort: ${created.oneTimePassword}\n`);
          process.stderr.write(
            'Das Einmal-Passwort wird nicht noch einmal angezeigt; bei der ersten Anmeldung muss ein eigenes gewählt werden.\n',
          );
        }
      });
    });

  users
    .command('list')
    .description('Alle Konten auflisten')
    .option('--json', 'als JSON-Array auf stdout')
    .action(async (opts: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const list = await listUsers(ctx, cliActor);
        if (opts.json) printJson(list);
        else
          for (const u of list) {
            process.stdout.write(
              `${u.email}\t${u.displayName}\t${u.roles.join(',')}\t${u.department ?? '-'}\t${u.active ? 'aktiv' : 'deaktiviert'}\n`,
            );
          }
      });
    });

  users
    .command('set-roles')
    .description('Rollen (und Fachbereich) eines Kontos ersetzen')
    .requiredOption('--email <email>', 'E-Mail-Adresse des Kontos')
    .option('--role <role>', 'Rolle, mehrfach möglich', collect, [] as string[])
    .option('--department <key>', 'Fachbereich (leer lassen für keinen)')
    .action(async (opts: { email: string; role: string[]; department?: string }) => {
      const roles = checkRoles(opts.role);
      await withContext(async (ctx) => {
        checkDepartment(ctx, opts.department);
        await setUserRoles(ctx, cliActor, await userIdByEmail(ctx, opts.email), { roles, department: opts.department ?? null });
        process.stderr.write('Rollen gespeichert.\n');
      });
    });

  for (const [name, active, text] of [
    ['deactivate', false, 'Konto deaktivieren (beendet seine Sitzungen)'],
    ['activate', true, 'Deaktiviertes Konto wieder aktivieren'],
  ] as const) {
    users
      .command(name)
      .description(text)
      .requiredOption('--email <email>', 'E-Mail-Adresse des Kontos')
      .action(async (opts: { email: string }) => {
        await withContext(async (ctx) => {
          await setUserActive(ctx, cliActor, await userIdByEmail(ctx, opts.email), active);
          process.stderr.write(active ? 'Konto aktiviert.\n' : 'Konto deaktiviert.\n');
        });
      });
  }

  users
    .command('reset-password')
    .description('Neues Einmal-Passwort vergeben (z. B. wenn das Administrationspasswort verloren ist)')
    .requiredOption('--email <email>', 'E-Mail-Adresse des Kontos')
    .option('--json', 'Ergebnis als JSON auf stdout')
    .action(async (opts: { email: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const id = await userIdByEmail(ctx, opts.email);
        const { oneTimePassword } = await resetPassword(ctx, cliActor, id);
        if (opts.json) printJson({ id, oneTimePassword });
        else process.stdout.write(`Einmal-Passwort: ${oneTimePassword}\n`);
      });
    });
}
