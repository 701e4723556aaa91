import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../../core/auth/actor.ts';
import { writeAudit } from '../../core/audit/index.ts';
import { restoreBackup, verifyBackup } from '../../core/db/backup.ts';
import { printJson, withContext } from '../run.ts';

export function register(program: Command): void {
  program
    .command('restore')
    .description('Sicherung aus DATEI zurückspielen: ersetzt ALLE Daten (vorher Lotse beenden)')
    .argument('<file>', 'Sicherungsdatei von "lotse backup"')
    .option('--check', 'nur prüfen (Format, Prüfsumme), nichts verändern')
    .option('--json', 'Zusammenfassung als JSON auf stdout')
    .action(async (file: string, opts: { check?: boolean; json?: boolean }) => {
      const source = resolve(file);
      if (opts.check) {
        // Checked before any database is opened: a damaged file never touches data.
        const h = await verifyBackup(source);
        const rows = h.tables.reduce((n, t) => n + t.rows, 0);
        if (opts.json) printJson({ file: source, valid: true, createdAt: h.createdAt, source: h.source, migrations: h.migrations, tables: h.tables.length, rows });
        process.stderr.write(`Sicherung in Ordnung: ${h.tables.length} Tabellen, ${rows} Zeilen, erstellt ${h.createdAt} (${h.source}).\n`);
        return;
      }
      await verifyBackup(source);
      const summary = await withContext(
        (ctx) =>
          restoreBackup(ctx.database, source, {
            dataDir: ctx.config.dataDir,
            afterRestore: (tx, h) =>
              writeAudit(tx, {
                actor: cliActor,
                action: 'system.restore',
                objectType: 'database',
                summary: { createdAt: h.createdAt, source: h.source, migrations: h.migrations.count, tables: h.tables.length },
              }),
          }),
        { migrate: false },
      );
      if (opts.json) printJson(summary);
      process.stderr.write(
        `Sicherung zurückgespielt: ${summary.tables} Tabellen, ${summary.rows} Zeilen, ${summary.files} Dateien` +
          (summary.migratedForward ? `, danach ${summary.migratedForward} Migration(en) angewendet` : '') +
          '.\n',
      );
    });
}
