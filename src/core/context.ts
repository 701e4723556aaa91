import type { Config } from './config.ts';
import type { Database, Db } from './db/index.ts';
import type { Logger } from './logger.ts';
import type { Town } from './town.ts';

/**
 * Everything a use case needs, created once at boot (`boot.ts`) and passed down.
 * Use cases receive it explicitly; they never touch HTTP objects.
 */
export interface AppContext {
  readonly config: Config;
  readonly town: Town;
  readonly database: Database;
  readonly db: Db;
  readonly log: Logger;
  /** Injected clock (tests move time). */
  now(): Date;
}
