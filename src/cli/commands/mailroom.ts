import type { Command } from 'commander';
import { cliActor } from '../../core/auth/index.ts';
import { AppError } from '../../core/errors.ts';
import { applyRetention, setRetentionDays, configureMailbox, getAckSettings, setAckSettings, listMailboxSummaries, pollAllMailboxes, scanInboxFolder } from '../../modules/mailroom/index.ts';
import { CliError, EXIT, printJson, withContext } from '../run.ts';

/** `lotse mailroom …`: IMAP mailboxes, watched folder and retention of the mailroom intake. */
export function register(program: Command): void {
  const mr = program.command('mailroom').description('Posteingang: Postfächer, Scanner-Ordner, Aufbewahrung');

  mr.command('add-mailbox')
    .description('IMAP-Postfach anlegen oder ändern (nach Name); Passwort über eine Umgebungsvariable (--password-env)')
    .requiredOption('--name <name>', 'Kurzname, z. B. poststelle')
    .requiredOption('--host <host>', 'IMAP-Server')
    .option('--port <port>', 'Port (993 mit TLS, 143 mit STARTTLS)', '993')
    .option('--no-tls', 'ohne implizites TLS verbinden (STARTTLS, wenn der Server es anbietet)')
    .requiredOption('--user <user>', 'Benutzername')
    .option('--password-env <VAR>', 'Name der Umgebungsvariablen mit dem Passwort')
    .option('--folder <folder>', 'Ordner, der gelesen wird', 'INBOX')
    .option('--processed-folder <folder>', 'Ordner für verarbeitete Nachrichten', 'Lotse/Verarbeitet')
    .option('--inactive', 'angelegt, aber nicht abgerufen')
    .action(async (o: { name: string; host: string; port: string; tls: boolean; user: string; passwordEnv?: string; folder: string; processedFolder: string; inactive?: boolean }) => {
      await withContext(async (ctx) => {
        const r = await configureMailbox(ctx, cliActor, {
          name: o.name,
          host: o.host,
          port: Number(o.port),
          secure: o.tls,
          username: o.user,
          passwordEnv: o.passwordEnv ?? null,
          folder: o.folder,
          processedFolder: o.processedFolder,
          active: !o.inactive,
        }).catch((e: unknown) => {
          if (e instanceof AppError && e.code === 'validation') throw new CliError(`${e.message} ${JSON.stringify(e.details ?? '')}`, EXIT.usage);
          throw e;
        });
        printJson(r);
      });
    });

  mr.command('acknowledgements [state]')
    .description('Automatische Eingangsbestätigung für zugeordnete Bürger-E-Mails anzeigen oder schalten (on|off; Voreinstellung off)')
    .action(async (state: string | undefined) => {
      await withContext(async (ctx) => {
        if (state === undefined) return printJson(await getAckSettings(ctx));
        if (state !== 'on' && state !== 'off') throw new CliError(`acknowledgements "${state}": erwartet on oder off.`, EXIT.usage);
        printJson(await setAckSettings(ctx, cliActor, { enabled: state === 'on' }));
      });
    });

  mr.command('mailboxes')
    .description('Postfächer mit Abrufstand auflisten (ohne Passwort)')
    .action(async () => {
      await withContext(async (ctx) => printJson(await listMailboxSummaries(ctx, cliActor)));
    });

  mr.command('poll')
    .description('Alle aktiven Postfächer jetzt einmal abrufen; Exit 1, wenn ein Postfach einen Fehler hatte')
    .action(async () => {
      await withContext(async (ctx) => {
        const r = await pollAllMailboxes(ctx);
        printJson(r);
        if (r.some((x) => x.error)) process.exitCode = EXIT.problem;
      });
    });

  mr.command('scan-folder [dir]')
    .description('Scanner-Ordner (Standard: LOTSE_INBOX_DIR) jetzt einmal einlesen')
    .action(async (dir: string | undefined) => {
      await withContext(async (ctx) => {
        const d = dir ?? ctx.config.LOTSE_INBOX_DIR;
        if (!d) throw new CliError('Kein Ordner: Verzeichnis angeben oder LOTSE_INBOX_DIR setzen.', EXIT.usage);
        const r = await scanInboxFolder(ctx, d);
        printJson(r);
        if (r.taken.some((t) => t.movedTo === 'rejected')) process.exitCode = EXIT.problem;
      });
    });

  mr.command('retention')
    .description('Abgelaufene Dokumente jetzt löschen (sonst täglich 03:30 Uhr); mit --set nur die Fristen setzen')
    .option('--set <KATEGORIE=TAGE...>', 'Aufbewahrungsfristen je Kategorie in Tagen, "*" für alle übrigen (ersetzt die gespeicherten Werte)')
    .action(async (o: { set?: string[] }) => {
      await withContext(async (ctx) => {
        if (!o.set) return printJson(await applyRetention(ctx));
        const periods: Record<string, number> = {};
        for (const p of o.set) {
          const m = /^(.+)=(\d+)$/.exec(p);
          if (!m) throw new CliError(`--set "${p}": erwartet KATEGORIE=TAGE, z. B. Sonstiges=365.`, EXIT.usage);
          periods[m[1]!.trim()] = Number(m[2]);
        }
        printJson(await setRetentionDays(ctx, cliActor, periods));
      });
    });
}
