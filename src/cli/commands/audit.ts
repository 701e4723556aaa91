import type { Command } from 'commander';
import { cliActor } from '../../core/auth/actor.ts';
import { listAudit, verifyAuditChain } from '../../core/audit/index.ts';
import { CliError, EXIT, printJson, withContext } from '../run.ts';

function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new CliError(`${name} muss eine ganze Zahl zwischen 1 und 1000 sein (war "${v}").`, EXIT.usage);
  return n;
}

export function register(program: Command): void {
  const audit = program.command('audit').description('Prüfprotokoll (hash-verkettet): prüfen und anzeigen');

  audit
    .command('verify')
    .description('Hash-Kette neu berechnen; Exit 0 = unverändert, 1 = verändert (nennt den ersten betroffenen Eintrag)')
    .option('--json', 'Ergebnis als JSON auf stdout')
    .action(async (opts: { json?: boolean }) => {
      const result = await withContext((ctx) => verifyAuditChain(ctx.db));
      if (opts.json) printJson(result);
      if (result.ok) {
        process.stderr.write(`Prüfprotokoll unverändert: ${result.checked} Einträge geprüft, Kettenende Position ${result.head.chainPos} = Eintrag ${result.head.seq} (${result.head.hash}).\n`);
        return;
      }
      const b = result.firstBroken!;
      process.stderr.write(`Prüfprotokoll VERÄNDERT: ${b.message} (seq ${b.seq}, Kettenposition ${b.chainPos}, ${b.reason}; ${result.checked} Einträge gelesen)\n`);
      process.exitCode = EXIT.problem;
    });

  audit
    .command('list')
    .description('Neueste Einträge des Prüfprotokolls')
    .option('--limit <n>', 'Anzahl (1–1000)', '20')
    .option('--json', 'JSON Lines auf stdout (ein Eintrag je Zeile)')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const limit = positiveInt(opts.limit, '--limit');
      const page = await withContext((ctx) => listAudit(ctx.db, cliActor, { page: 1, pageSize: limit }));
      for (const e of page.items) {
        if (opts.json) printJson({ ...e, at: e.at.toISOString() });
        else process.stdout.write(`${e.seq}\t${e.at.toISOString()}\t${e.actorType}:${e.actorId ?? '-'}\t${e.action}\t${e.objectType}:${e.objectId ?? '-'}\n`);
      }
    });
}
