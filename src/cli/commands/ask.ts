import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { describeJsonError } from '../../core/json-syntax.ts';
import { askQuestion, type AskResult } from '../../modules/assistant/index.ts';
import { getCatalogIndex } from '../../modules/catalog/index.ts';
import { CliError, EXIT, printJson, unreadable, withContext } from '../run.ts';

const batchLine = z.object({ id: z.string().min(1), question: z.string(), lang: z.enum(['de', 'en']).optional() });

/** The contract fields of `lotse ask --json` (interfaces.md). */
const contract = (r: AskResult) => ({ answer: r.answer, refused: r.refused, confidence: r.confidence, sources: r.sources });

function readBatch(file: string): z.infer<typeof batchLine>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(unreadable(file, e), EXIT.usage);
  }
  const items: z.infer<typeof batchLine>[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new CliError(`${file}:${i + 1}: ${describeJsonError(line, (e as Error).message, i + 1).text}`, EXIT.usage);
    }
    const parsed = batchLine.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CliError(`${file}:${i + 1}: Feld "${issue.path.join('.') || '(Zeile)'}" – ${issue.message}`, EXIT.usage);
    }
    items.push(parsed.data);
  });
  return items;
}

export function register(program: Command): void {
  program
    .command('ask')
    .description('Frage an den Assistenten stellen (Antwort mit Quellen oder begründete Ablehnung)')
    .argument('[question]', 'die Frage')
    .option('--lang <lang>', 'Sprache der Frage: de oder en', 'de')
    .option('--batch <file>', 'JSON-Lines-Datei mit {"id","question"} je Zeile')
    .option('--json', 'Ausgabe als JSON (eine Zeile je Frage)')
    .action(async (question: string | undefined, opts: { lang: string; batch?: string; json?: boolean }) => {
      if (opts.lang !== 'de' && opts.lang !== 'en') throw new CliError(`--lang: "${opts.lang}" ist ungültig (de oder en).`, EXIT.usage);
      const lang: 'de' | 'en' = opts.lang;
      if (!opts.batch && (question === undefined || question === '')) throw new CliError('Bitte eine Frage angeben oder --batch DATEI verwenden.', EXIT.usage);
      if (opts.batch && question !== undefined) throw new CliError('Entweder eine Frage oder --batch DATEI, nicht beides.', EXIT.usage);
      // Validate the whole batch file before any work, so a bad line fails fast and names itself.
      const items: { id: string; question: string; lang?: 'de' | 'en' }[] = opts.batch ? readBatch(opts.batch) : [{ id: '', question: question!, lang }];
      await withContext(async (ctx) => {
        // Build the search index once for the whole batch.
        await getCatalogIndex(ctx);
        for (const item of items) {
          const r = await askQuestion(ctx, { question: item.question, lang: item.lang ?? lang, channel: 'cli' }, { record: false });
          if (opts.json) printJson(opts.batch ? { id: item.id, ...contract(r) } : contract(r));
          else {
            process.stdout.write(`${opts.batch ? `[${item.id}] ` : ''}${r.refused ? 'Abgelehnt' : 'Antwort'} (Konfidenz ${r.confidence.toFixed(2)}):\n${r.answer}\n`);
            for (const [i, s] of r.sources.entries()) process.stdout.write(`  ${i + 1}. ${s.title} [${s.serviceId}]${s.url ? ` ${s.url}` : ''}\n`);
            process.stdout.write('\n');
          }
        }
      });
    });
}
