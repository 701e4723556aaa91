import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { extractInvoice } from '../../modules/mailroom/index.ts';
import { CliError, EXIT, printJson, unreadable } from '../run.ts';

const eur = (v: number): string => v.toFixed(2).replace('.', ',');

/**
 * `lotse invoice extract FILE [--json]`: reads an XRechnung (UBL/CII), ZUGFeRD/Factur-X or scanned
 * invoice and validates it. Exit 0 valid, 1 invalid (JSON still printed), 2 unreadable / not an invoice.
 */
export function register(program: Command): void {
  const invoice = program.command('invoice').description('E-Rechnungen (XRechnung, ZUGFeRD) und gescannte Rechnungen lesen');
  invoice
    .command('extract')
    .description('Rechnungsfelder auslesen und prüfen (Exit 0 gültig, 1 ungültig, 2 nicht lesbar)')
    .argument('<file>', 'XML- oder PDF-Datei')
    .option('--json', 'JSON ausgeben (Schnittstelle siehe interfaces.md)')
    .action(async (file: string, opts: { json?: boolean }) => {
      let buffer: Buffer;
      try {
        buffer = await readFile(file);
      } catch (e) {
        throw new CliError(unreadable(file, e), EXIT.usage);
      }
      const inv = await extractInvoice(buffer, basename(file));
      if (opts.json) printJson(inv);
      else {
        const lines = [
          `${file}: ${inv.format.toUpperCase()}-Rechnung ${inv.invoiceNumber || '(ohne Nummer)'} vom ${inv.issueDate || '?'}`,
          `  Verkäufer: ${inv.seller.name || '–'} (USt-IdNr. ${inv.seller.vatId ?? '–'})`,
          `  Käufer: ${inv.buyer.name ?? '–'}, Leitweg-ID/Käuferreferenz: ${inv.buyerReference ?? '–'}`,
          `  Netto ${eur(inv.totals.net)} + USt ${eur(inv.totals.tax)} = Brutto ${eur(inv.totals.gross)} ${inv.currency}; zu zahlen ${eur(inv.totals.payable)}`,
          `  IBAN: ${inv.iban ?? '–'}; Positionen: ${inv.lineCount}`,
          inv.validation.valid ? '  Prüfung: gültig' : `  Prüfung: UNGÜLTIG\n${inv.validation.errors.map((e) => `    [${e.rule}] ${e.message}`).join('\n')}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (!inv.validation.valid) process.exitCode = EXIT.problem;
    });
}
