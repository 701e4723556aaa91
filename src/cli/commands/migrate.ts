import type { Command } from 'commander';
import { withContext } from '../run.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Datenbank-Migrationen anwenden (PGlite oder PostgreSQL)')
    .action(async () => {
      await withContext(async (ctx) => {
        process.stderr.write(`Migrationen angewendet (${ctx.database.kind}).\n`);
      });
    });
}
