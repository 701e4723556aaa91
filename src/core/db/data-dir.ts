import { accessSync, constants, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.ts';

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Creates the directory if needed and proves it is writable. */
export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new ConfigError(
      `Das Datenverzeichnis ${dir} ist nicht beschreibbar (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). ` +
        'Setzen Sie LOTSE_DATA_DIR auf ein Verzeichnis, in das dieser Benutzer schreiben darf.',
    );
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the exclusive lock on a PGlite data directory. PGlite is single-process: a second
 * process writing the same files would corrupt them, so it must stop with a clear message.
 * A lock left by a crashed process (its PID no longer runs) is taken over.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  const file = join(dir, 'lotse.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new ConfigError(
          `Das Datenverzeichnis ${dir} wird bereits von einem anderen Lotse-Prozess (PID ${pid}) benutzt. ` +
            'Beenden Sie diesen Prozess oder wählen Sie mit LOTSE_DATA_DIR ein anderes Verzeichnis; für mehrere Instanzen nutzen Sie PostgreSQL (DATABASE_URL).',
        );
      }
      unlinkSync(file); // stale lock from a crashed process
    }
  }
  throw new ConfigError(`Die Sperrdatei ${file} konnte nicht angelegt werden.`);
}
