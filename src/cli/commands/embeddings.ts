import type { Command } from 'commander';
import { embedCatalog, getEmbeddingStatus } from '../../modules/catalog/index.ts';
import { CliError, EXIT, printJson, withContext } from '../run.ts';

/** `lotse embeddings status|run`: service vectors of the optional hybrid search (see docs/modules/catalog.md, "Embeddings"). */
export function register(program: Command): void {
  const cmd = program.command('embeddings').description('Vektoren der Leistungen für die optionale hybride Suche (LOTSE_EMBEDDINGS_BASE_URL)');
  cmd
    .command('status')
    .description('Ob ein Embedding-Endpunkt eingestellt ist und wie viele veröffentlichte Leistungen einen Vektor des Modells haben')
    .option('--json', 'JSON auf stdout: {configured, model, published, embedded}', false)
    .exitOverride()
    .action(async (opts: { json: boolean }) => {
      await withContext(async (ctx) => {
        const { query: _query, ...s } = await getEmbeddingStatus(ctx);
        if (opts.json) printJson(s);
        else process.stdout.write(s.configured ? `Modell ${s.model}: ${s.embedded} von ${s.published} Leistungen mit Vektor.\n` : 'Kein Embedding-Endpunkt eingestellt (LOTSE_EMBEDDINGS_BASE_URL); die Suche nutzt nur BM25.\n');
      });
    });
  cmd
    .command('run')
    .description('Vektoren jetzt berechnen (sonst macht das der Hintergrundjob catalog.embed): nur geänderte Leistungen, mit --force alle prüfen')
    .option('--force', 'auch rechnen, wenn sich der Katalog seit dem letzten Lauf nicht geändert hat (unveränderte Texte werden trotzdem nicht neu eingebettet)', false)
    .option('--json', 'JSON auf stdout: {model, embedded, unchanged, removed}', false)
    .exitOverride()
    .action(async (opts: { force: boolean; json: boolean }) => {
      await withContext(async (ctx) => {
        if (!ctx.config.LOTSE_EMBEDDINGS_BASE_URL) throw new CliError('LOTSE_EMBEDDINGS_BASE_URL ist nicht gesetzt; ohne Embedding-Endpunkt gibt es nichts zu berechnen.', EXIT.usage);
        let r;
        try {
          r = await embedCatalog(ctx, { force: opts.force });
        } catch (e) {
          throw new CliError((e as Error).message, EXIT.problem);
        }
        if (opts.json) printJson(r);
        process.stderr.write(`${r.embedded} Leistungen eingebettet, ${r.unchanged} unverändert, ${r.removed} entfernt (Modell ${r.model}${r.skipped === 'up_to_date' ? ', Katalog unverändert seit dem letzten Lauf' : ''}).\n`);
      });
    });
}
