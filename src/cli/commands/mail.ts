import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { toMailTriageJson, triageMail, type MailTriageResult } from '../../modules/mailroom/index.ts';
import { modelNameSchema } from '../../modules/mailroom/triage/index.ts';
import { CliError, EXIT, printJson, unreadable, withContext } from '../run.ts';

/**
 * `lotse mail triage FILE.eml... [--json] [--model NAME[,NAME…]] [--offline]`: parses each message,
 * detects replies/auto-replies/bounces and references, assigns a category and department
 * or abstains. One JSON object per line (interfaces.md). Unreadable files are reported on
 * stderr and do not stop the others (exit 2 at the end).
 */
export function register(program: Command): void {
  const mail = program.command('mail').description('E-Mails lesen und zuordnen');
  mail
    .command('triage')
    .description('E-Mails (.eml) einordnen: Kategorie, Fachbereich, Bezüge, Antwort/Abwesenheit/Unzustellbar')
    .argument('<files...>', 'eine oder mehrere .eml-Dateien')
    .option('--json', 'JSON Lines auf stdout (Schnittstelle siehe interfaces.md)')
    .option(
      '--model <names>',
      'trainierte Modelle aus der Registry vor der Stichwortliste, durch Komma getrennt in Reihenfolge (Standard: mail; wie der Posteingang: mail,default)',
      'mail',
    )
    .option('--offline', 'ohne Datenbank (nur Regeln, Stichwortliste, Standard-Zuordnung der Fachbereiche)')
    .action(async (files: string[], opts: { json?: boolean; model: string; offline?: boolean }) => {
      // Default `mail` only (not the intake's `mail,default`): `default` may be trained on letter or report
      // categories that are no mail categories (docs/modules/mailroom-intake.md, "Known limits").
      const models = opts.model.split(',').map((m) => m.trim()).filter(Boolean);
      const bad = models.find((m) => !modelNameSchema.safeParse(m).success);
      if (bad !== undefined || !models.length) throw new CliError(`--model: ungültiger Modellname "${bad ?? opts.model}" (Kleinbuchstaben, Ziffern, - und _; mehrere durch Komma).`, EXIT.usage);
      let failed = 0;
      const run = async (ctx: Parameters<typeof triageMail>[0]) => {
        for (const file of files) {
          let raw: Buffer;
          try {
            raw = await readFile(file);
          } catch (e) {
            failed++;
            process.stderr.write(`${unreadable(file, e)}\n`);
            continue;
          }
          let r: MailTriageResult;
          try {
            r = await triageMail(ctx, raw, { modelName: models });
          } catch (e) {
            failed++;
            process.stderr.write(`${file}: ${(e as Error).message}\n`);
            continue;
          }
          if (opts.json) printJson(toMailTriageJson(basename(file), r));
          else {
            const flags = [r.isReply && 'Antwort', r.isAutoReply && 'Abwesenheitsnotiz', r.isBounce && 'unzustellbar'].filter(Boolean).join(', ');
            const refs = [...r.references.aktenzeichen.map((a) => `Az. ${a}`), ...r.references.kassenzeichen.map((k) => `Kassenzeichen ${k}`), ...r.references.ticket.map((t) => `#${t}`)].join(', ');
            process.stdout.write(
              `${file}: ${r.category ?? (r.abstained ? '(zur Prüfung)' : '(keine Kategorie)')} → ${r.department ?? '–'} (${(100 * r.confidence).toFixed(0)} %, ${r.decidedBy})${flags ? ` [${flags}]` : ''}${refs ? ` {${refs}}` : ''}\n`,
            );
          }
        }
      };
      if (opts.offline) await run(null);
      else await withContext(run);
      if (failed) process.exitCode = EXIT.usage;
    });
}
