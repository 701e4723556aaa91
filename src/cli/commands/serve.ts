import type { Command } from 'commander';
import { serve } from '../../boot.ts';

export function register(program: Command): void {
  program
    .command('serve')
    .description('Web-Anwendung und API starten (migriert und lädt Demodaten beim ersten Start)')
    .action(async () => {
      const { close } = await serve();
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`\n${signal} empfangen – Lotse wird sauber beendet …\n`);
          close().then(resolve, resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
