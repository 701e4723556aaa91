import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../../core/auth/actor.ts';
import { importCatalog, listServices } from '../../modules/catalog/index.ts';
import { printJson, withContext } from '../run.ts';

export function register(program: Command): void {
  const catalog = program.command('catalog').description('Leistungskatalog: importieren und auflisten');
  catalog
    .command('import')
    .description('Katalog importieren: eigenes JSON ("lotse-catalog") oder DLDB-Export (services_de.json; locations_de.json daneben wird mitgelesen, allein abgelehnt); Format wird erkannt')
    .argument('<file>', 'Katalogdatei (JSON)')
    .option('--replace', 'bestehenden Katalog vorher vollständig ersetzen', false)
    .option('--json', 'Ergebnis als JSON auf stdout', false)
    .exitOverride()
    .action(async (file: string, opts: { replace: boolean; json: boolean }) => {
      await withContext(async (ctx) => {
        const r = await importCatalog(ctx, cliActor, resolve(file), { replace: opts.replace });
        if (opts.json) printJson(r);
        process.stderr.write(`${r.imported} Leistungen importiert (Format: ${r.format}${opts.replace ? ', Katalog ersetzt' : ''}).\n`);
      });
    });
  catalog
    .command('list')
    .description('Veröffentlichte Leistungen auflisten (A–Z, mit --query nach Relevanz)')
    .option('--json', 'JSON-Array auf stdout: [{id, title, leika, url}]', false)
    .option('-q, --query <text>', 'Suchanfrage')
    .exitOverride()
    .action(async (opts: { json: boolean; query?: string }) => {
      await withContext(async (ctx) => {
        const list = await listServices(ctx, { q: opts.query });
        if (opts.json) printJson(list);
        else for (const s of list) process.stdout.write(`${s.id}\t${s.title}\n`);
      });
    });
}
