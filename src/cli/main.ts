import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';
import { EXIT, exitCodeFor } from './run.ts';

/** Builds the `lotse` program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('lotse')
    .description('Lotse – KI-Plattform für die Kommunalverwaltung')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const c of commands) c.register(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0.
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    const { code, message } = exitCodeFor(e);
    process.stderr.write(`Fehler: ${message}\n`);
    process.exitCode = code;
  }
}
