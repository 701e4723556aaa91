import { createContext, prepare } from '../boot.ts';
import { ConfigError, loadConfig } from '../core/config.ts';
import type { AppContext } from '../core/context.ts';
import { AppError, errorForLog } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';

/** Exit codes of the interfaces document. */
export const EXIT = { ok: 0, problem: 1, usage: 2, internal: 3 } as const;

/** Why a file could not be opened, in German (Node's own messages are English); the errno code stays for scripts. */
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const text: Record<string, string> = {
    ENOENT: 'Datei nicht gefunden',
    EACCES: 'keine Leseberechtigung',
    EPERM: 'keine Leseberechtigung',
    EISDIR: 'ist keine Datei, sondern ein Verzeichnis',
    ELOOP: 'zu viele symbolische Verweise',
    ENAMETOOLONG: 'Dateiname zu lang',
  };
  if (code === 'EFBIG') return `zu groß: ${(e as Error).message}`;
  return text[code] ? `${text[code]}, ${code}` : (e as Error).message;
}

/** The stderr line for a file that cannot be read: `FILE: Datei nicht lesbar (reason, CODE).` */
export function unreadable(file: string, e: unknown): string {
  return `${file}: Datei nicht lesbar (${fileProblem(e)}).`;
}

/** A CLI failure with a message for stderr and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** Maps any error to a stderr line and the documented exit code. */
export function exitCodeFor(e: unknown): { code: number; message: string } {
  if (e instanceof CliError) return { code: e.exitCode, message: e.message };
  if (e instanceof ConfigError) return { code: EXIT.usage, message: e.message };
  if (e instanceof AppError) {
    const usage = ['validation', 'bad_request', 'not_found', 'unsupported_media_type', 'payload_too_large'].includes(e.code);
    const fields = e.details?.fields?.map((f) => `  ${f.field}: ${f.message}`).join('\n');
    return { code: usage ? EXIT.usage : e.code === 'conflict' ? EXIT.problem : EXIT.internal, message: fields ? `${e.message}\n${fields}` : e.message };
  }
  // Never the raw message of a database error: it carries the query parameters (user text).
  const safe = e instanceof Error ? errorForLog(e).message : String(e).slice(0, 500);
  return { code: EXIT.internal, message: `Interner Fehler: ${safe}` };
}

/**
 * Runs a command body with a ready context (migrated database) and always closes it.
 * CLI logs go to stderr at `warn` unless LOTSE_LOG_LEVEL says otherwise.
 */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, opts: { migrate?: boolean; seed?: boolean } = {}): Promise<T> {
  const config = loadConfig({ LOTSE_LOG_LEVEL: 'warn', ...process.env });
  const ctx = await createContext({ config, log: createLogger(config.LOTSE_LOG_LEVEL) });
  try {
    if (opts.migrate !== false) {
      if (opts.seed) await prepare(ctx);
      else await ctx.database.migrate();
    }
    return await fn(ctx);
  } finally {
    await ctx.database.close();
  }
}

/** Writes one JSON value per line to stdout (JSON output contract). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
