import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../../core/auth/actor.ts';
import {
  activateModel,
  batchLineSchema,
  classifyBatch,
  exportTrainingData,
  listTriageModels,
  parseCategoryDescriptions,
  parseJsonLines,
  trainingLineSchema,
  seedLineSchema,
  trainModel,
} from '../../modules/mailroom/index.ts';
import { CliError, EXIT, printJson, unreadable, withContext } from '../run.ts';

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(unreadable(file, e), EXIT.usage);
  }
}

/** `--model` is declared once on `triage` (commander gives it to the parent wherever it appears). */
const modelOption = (cmd: Command): string | undefined => (cmd.optsWithGlobals() as { model?: string }).model;

const jsonOption = (cmd: Command): boolean => !!(cmd.optsWithGlobals() as { json?: boolean }).json;

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)} %`);

/**
 * `lotse triage --batch FILE [--abstain] [--model NAME] --json` (without `--abstain` every message
 * with text gets its best category – docs/modules/triage.md explains why), `lotse triage train FILE [--model NAME]`,
 * `lotse triage models [--json]`, `lotse triage activate NAME VERSION`, `lotse triage export`.
 */
export function register(program: Command): void {
  const triage = program
    .command('triage')
    .description('Nachrichten klassifizieren (mit Konfidenz und Enthaltung); Modelle trainieren und verwalten')
    .option(
      '--batch <file>',
      'JSON Lines {id, subject, text} klassifizieren: jede Nachricht bekommt ihre beste Kategorie mit kalibrierter Konfidenz (ohne Text: Enthaltung)',
    )
    .option(
      '--abstain',
      'mit --batch: Schwellen je Kategorie des Modells anwenden wie die Mailroom-Weiterleitung (darunter category null, abstained true)',
    )
    .option('--model <name>', 'Modellname (Standard: default)')
    .option('--json', 'JSON Lines auf stdout')
    .action(async (o: { batch?: string; abstain?: boolean; model?: string; json?: boolean }) => {
      const opts = { ...o, model: o.model ?? 'default' };
      if (!opts.batch)
        throw new CliError(
          'Bitte --batch FILE angeben oder einen Unterbefehl (train, models, activate, export). Hilfe: lotse triage --help',
          EXIT.usage,
        );
      const rows = parseJsonLines(await readText(opts.batch), batchLineSchema, opts.batch);
      const abstainMode = !!opts.abstain;
      const results = await withContext((ctx) => classifyBatch(ctx, rows, opts.model, { abstain: abstainMode }));
      let abstained = 0;
      let routable = 0;
      rows.forEach((r, i) => {
        const p = results[i]!;
        if (p.abstained) abstained++;
        if (p.routable) routable++;
        // Exactly the fields of interfaces.md, nothing more.
        const out = { id: r.id, category: p.category, confidence: p.confidence, abstained: p.abstained, top: p.top };
        if (opts.json) printJson(out);
        else process.stdout.write(`${r.id}\t${p.category ?? '(Enthaltung)'}\t${p.confidence.toFixed(3)}\n`);
      });
      const v = results[0]?.model.version;
      const share = (n: number) => (rows.length ? ` (${pct(n / rows.length)})` : '');
      const head = `${rows.length} Nachrichten klassifiziert mit ${opts.model}${v ? ` v${v}` : ''}`;
      process.stderr.write(
        abstainMode
          ? `${head}; Modus --abstain (Schwellen je Kategorie wie die Mailroom-Weiterleitung): automatisch zugeordnet ${rows.length - abstained}${share(rows.length - abstained)}, enthalten/zur Prüfung ${abstained}.\n`
          : `${head}; Modus alles zuordnen (ohne --abstain): beste Kategorie für ${rows.length - abstained}, ohne Text enthalten ${abstained}; mit den Schwellen des Modells (--abstain, Mailroom) würden automatisch zugeordnet ${routable}${share(routable)}, zur Prüfung ${rows.length - routable}.\n`,
      );
    });

  triage
    .command('train')
    .description('Neues Modell aus JSON Lines {id, subject, text, category} trainieren (zeitlich geordnet), speichern und aktivieren')
    .argument(
      '<file>',
      'Trainingsdaten (JSON Lines, älteste zuerst; --model NAME wählt den Modellnamen, --json gibt das Ergebnis als JSON aus)',
    )
    .option('--target-precision <p>', 'Zielgenauigkeit für automatische Zuordnung', '0.95')
    .option('--no-refit', 'nach der Kalibrierung nicht auf allen Daten neu trainieren')
    .option('--no-activate', 'neue Version nicht aktivieren')
    .option('--keep-examples', 'Beispiele für spätere Nachtrainings speichern')
    .option(
      '--categories <file>',
      'Kategoriebeschreibungen {"groups": {SCHLÜSSEL: {label, description}}} als Saat (Standard: categories.json neben der Trainingsdatei, sonst die Einstellung mailroom.triageCategories)',
    )
    .option('--no-categories', 'keine Saat aus Kategoriebeschreibungen')
    .option('--no-subject-seeds', 'keine Saat aus der Portal-Betreffliste (Feld detail der Trainingszeilen)')
    .option('--seeds <file>', 'zusätzliche Beispiele (JSON Lines {text, category}): immer trainiert, nie zur Bewertung zurückgehalten')
    .action(
      async (
        file: string,
        o: {
          targetPrecision: string;
          refit: boolean;
          activate: boolean;
          keepExamples?: boolean;
          seeds?: string;
          categories?: string | false;
          subjectSeeds: boolean;
        },
        cmd: Command,
      ) => {
        const opts = { ...o, json: jsonOption(cmd), model: modelOption(cmd) ?? 'default' };
        const target = Number(opts.targetPrecision);
        if (!(target > 0.5 && target < 1))
          throw new CliError(`--target-precision muss zwischen 0,5 und 1 liegen (war "${opts.targetPrecision}").`, EXIT.usage);
        const rows = parseJsonLines(await readText(file), trainingLineSchema, file);
        if (rows.length < 10) throw new CliError(`${file}: mindestens 10 Beispiele nötig, gefunden ${rows.length}.`, EXIT.usage);
        const seedRows = opts.seeds ? parseJsonLines(await readText(opts.seeds), seedLineSchema, opts.seeds) : [];
        // Category definitions: --categories FILE; else a categories.json beside the training file
        // (documented convention); else (undefined) the town setting; --no-categories: none (null).
        let categoriesFile: string | null = null;
        if (typeof opts.categories === 'string') categoriesFile = opts.categories;
        else if (opts.categories === undefined && existsSync(join(dirname(file), 'categories.json')))
          categoriesFile = join(dirname(file), 'categories.json');
        const categoryDescriptions =
          opts.categories === false
            ? null
            : categoriesFile
              ? parseCategoryDescriptions(await readText(categoriesFile), categoriesFile).groups
              : undefined;
        if (categoriesFile && opts.categories === undefined)
          process.stderr.write(
            `Kategoriebeschreibungen aus ${categoriesFile} (neben der Trainingsdatei) werden als Saat genutzt; abschalten mit --no-categories.\n`,
          );
        const r = await withContext((ctx) =>
          trainModel(ctx, cliActor, {
            name: opts.model,
            rows,
            seedRows,
            categoryDescriptions,
            subjectSeeds: opts.subjectSeeds,
            targetPrecision: target,
            refit: opts.refit,
            activate: opts.activate,
            storeExamples: !!opts.keepExamples,
          }),
        );
        const f = r.figures;
        const s = r.seeds;
        const from = { input: categoriesFile ?? 'Eingabe', setting: 'Einstellung mailroom.triageCategories', none: '' }[
          s.descriptionSource
        ];
        process.stderr.write(
          [
            `Modell ${r.name} Version ${r.version} gespeichert${r.active ? ' und aktiviert' : ''} (${rows.length} Beispiele, ${r.categories.length} Kategorien, ${(r.trainingMs / 1000).toFixed(1)} s).`,
            `Saat-Beispiele (immer trainiert, nie zurückgehalten): ${s.descriptions} aus Kategoriebeschreibungen${from ? ` (${from})` : ''}, ${s.subjects} aus der Portal-Betreffliste (detail)${s.extra ? `, ${s.extra} aus --seeds` : ''}.`,
            `Zurückgehaltene neueste ${f.heldOutRows} Beispiele (trainiert auf den ältesten ${f.trainRows}):`,
            `  Genauigkeit ${pct(f.accuracy)}, Makro-F1 ${pct(f.macroF1)}, Top-3 ${pct(f.top3)}`,
            `  automatisch zugeordnet (Schwellen für Präzision ≥ ${pct(f.targetPrecision)}): ${pct(f.expectedCoverage)} bei Präzision ${pct(f.expectedPrecision)}`,
            `  Abdeckung bei Präzision ≥ ${pct(f.targetPrecision)} (eine Schwelle): ${pct(f.coverageAtTarget)}; Temperatur ${f.temperature.toFixed(2)}`,
            f.refitted ? '  Danach auf allen Beispielen neu trainiert (Kalibrierung und Schwellen übernommen).' : '',
          ]
            .filter(Boolean)
            .join('\n') + '\n',
        );
        if (opts.json)
          printJson({
            name: r.name,
            version: r.version,
            active: r.active,
            categories: r.categories,
            thresholds: r.thresholds,
            figures: f,
            seeds: s,
            trainingMs: r.trainingMs,
          });
      },
    );

  triage
    .command('models')
    .description('Gespeicherte Modellversionen mit ihren Kennzahlen (--model NAME: nur dieses Modell; --json)')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = { json: jsonOption(cmd) };
      const models = await withContext((ctx) => listTriageModels(ctx, modelOption(cmd)));
      for (const m of models) {
        if (opts.json) printJson(m);
        else {
          const f = m.figures as { macroF1?: number; accuracy?: number; expectedCoverage?: number };
          process.stdout.write(
            `${m.active ? '*' : ' '} ${m.name}\tv${m.version}\t${m.createdAt}\t${m.trainingRows} Beispiele\tMakro-F1 ${pct(f.macroF1)}\tGenauigkeit ${pct(f.accuracy)}\tautomatisch ${pct(f.expectedCoverage)}\n`,
          );
        }
      }
      if (!models.length) process.stderr.write('Noch keine Modelle gespeichert.\n');
    });

  triage
    .command('activate')
    .description('Eine gespeicherte Version aktivieren (Rollback)')
    .argument('<name>', 'Modellname')
    .argument('<version>', 'Version')
    .action(async (name: string, version: string) => {
      if (!/^\d+$/.test(version)) throw new CliError(`VERSION muss eine ganze Zahl sein (war "${version}").`, EXIT.usage);
      const r = await withContext((ctx) => activateModel(ctx, cliActor, { name, version: Number(version) }));
      process.stderr.write(`Modell ${r.name}: Version ${r.version} aktiv (vorher ${r.previous ?? 'keine'}).\n`);
    });

  triage
    .command('export')
    .description('Gespeicherte Trainingsbeispiele mit maskierten personenbezogenen Daten (JSON Lines; --model NAME)')
    .action(async (_opts: unknown, cmd: Command) => {
      const rows = await withContext((ctx) => exportTrainingData(ctx, cliActor, modelOption(cmd) ?? 'default'));
      for (const r of rows) printJson(r);
    });
}
