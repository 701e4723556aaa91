import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createBackup } from '../../core/db/backup.ts';
import { printJson, withContext } from '../run.ts';

export function register(program: Command): void {
  program
    .command('backup')
    .description('Sicherung aller Daten in DATEI schreiben (gzip-JSON-Lines, für PGlite und PostgreSQL gleich)')
    .argument('<file>', 'Zieldatei, z. B. lotse-sicherung.jsonl.gz')
    .option('--json', 'Zusammenfassung als JSON auf stdout')
    .action(async (file: string, opts: { json?: boolean }) => {
      const target = resolve(file);
      // No migration: a backup reads the database exactly as it is.
      const summary = await withContext((ctx) => createBackup(ctx.database, target, ctx.now(), { dataDir: ctx.config.dataDir }), { migrate: false });
      if (opts.json) printJson(summary);
      process.stderr.write(
        `Sicherung geschrieben: ${summary.file} (${summary.tables} Tabellen, ${summary.rows} Zeilen, ${summary.files} Dateien, Migrationsstand ${summary.migrations.count}).\n`,
      );
    });
}
