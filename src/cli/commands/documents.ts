import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../../core/auth/actor.ts';
import { DOCUMENT_LIMITS, ingestDocument } from '../../modules/mailroom/index.ts';
import { EXIT, printJson, unreadable, withContext } from '../run.ts';

/**
 * `lotse documents ingest FILE... [--json]`: stores and reads each file (originals kept under
 * LOTSE_DATA_DIR/documents), one JSON line per file. A bad file gets a line with `error` and does
 * not stop the batch. Exit code: 0 all read, 1 some went to review / are duplicates or invalid
 * invoices, 2 some could not be read at all (rejected, missing), 3 internal error.
 */
export function register(program: Command): void {
  const docs = program.command('documents').description('Posteingang: Dokumente einlesen (PDF, Scans, Bilder, E-Rechnungen, E-Mails)');
  docs
    .command('ingest')
    .description('Dateien einlesen, speichern und zuordnen (JSON Lines mit --json)')
    .argument('<files...>', 'Dateien')
    .option('--json', 'eine JSON-Zeile je Datei')
    .option('--source <source>', 'Herkunft für das Protokoll', 'cli')
    .action(async (files: string[], opts: { json?: boolean; source: string }) => {
      let worst: number = EXIT.ok;
      const raise = (code: number) => {
        worst = Math.max(worst, code);
      };
      await withContext(async (ctx) => {
        for (const file of files) {
          const name = basename(file);
          let buffer: Buffer;
          try {
            const s = await stat(file);
            if (!s.isFile()) throw Object.assign(new Error('keine Datei'), { code: 'EISDIR' });
            if (s.size > DOCUMENT_LIMITS.maxFileBytes) {
              throw Object.assign(new Error(`${(s.size / 1048576).toFixed(1)} MB, erlaubt ${DOCUMENT_LIMITS.maxFileBytes / 1048576} MB`), { code: 'EFBIG' });
            }
            buffer = await readFile(file);
          } catch (e) {
            const msg = unreadable(name, e);
            if (opts.json) printJson({ file, kind: 'unknown', category: null, confidence: 0, abstained: true, pages: 0, ocr: false, fields: {}, status: 'rejected', error: msg });
            // Exit 2 always comes with a German message on stderr naming the file (interfaces.md), also with --json.
            process.stderr.write(`${unreadable(file, e)}\n`);
            raise(EXIT.usage);
            continue;
          }
          try {
            const r = await ingestDocument(ctx, cliActor, { buffer, filename: name, source: opts.source }, { ocr: 'now' });
            const line = {
              file,
              kind: r.kind,
              category: r.category,
              confidence: r.confidence,
              abstained: r.abstained,
              pages: r.pages,
              ocr: r.ocr,
              fields: r.fields,
              documentId: r.documentId,
              status: r.status,
              reason: r.reason,
              department: r.department,
              ...(r.duplicateOf ? { duplicateOf: r.duplicateOf } : {}),
              ...(r.status === 'rejected' ? { error: `${name}: ${r.reason ?? 'nicht lesbar'}` } : {}),
            };
            if (opts.json) printJson(line);
            else if (r.status !== 'rejected') process.stdout.write(`${file}: ${r.status} (${r.kind}${r.category ? `, ${r.category}` : ''}${r.reason ? ` – ${r.reason}` : ''})\n`);
            if (r.status === 'rejected') process.stderr.write(`${file}: abgelehnt – ${r.reason ?? 'Datei nicht lesbar'}\n`);
            raise(r.status === 'rejected' ? EXIT.usage : r.status === 'routed' || r.status === 'automatic' ? EXIT.ok : EXIT.problem);
          } catch (e) {
            const msg = `${name}: ${(e as Error).message}`;
            if (opts.json) printJson({ file, kind: 'unknown', category: null, confidence: 0, abstained: true, pages: 0, ocr: false, fields: {}, status: 'error', error: msg });
            process.stderr.write(`Fehler: ${file}: ${(e as Error).message}\n`);
            raise(EXIT.internal);
          }
        }
      });
      process.exitCode = worst === EXIT.internal ? EXIT.internal : worst;
    });
}
