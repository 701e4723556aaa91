import { createServer as createNetServer } from 'node:net';
import { serve as serveHttp, type ServerType } from '@hono/node-server';
import { ConfigError, loadConfig, type Config } from './core/config.ts';
import type { AppContext } from './core/context.ts';
import { openDatabase, type Database } from './core/db/index.ts';
import { createHttpApp, type AppRouter } from './core/http/app.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { sessionMiddleware } from './core/auth/middleware.ts';
import { ensureFirstAdmin } from './core/auth/first-start.ts';
import { startWorker, type Worker } from './core/jobs/worker.ts';
import type { JobHandler, LotseModule, ModuleService, RecurringSpec } from './core/module.ts';
import { loadTown } from './core/town.ts';
import { modules } from './modules/index.ts';
import { navRegistry } from './web/layout.tsx';
import { mountCorePages, renderErrorPage } from './web/pages.tsx';
import { coreJobs } from './core/core-jobs.ts';

export interface BootOptions {
  config?: Config;
  database?: Database;
  log?: Logger;
  now?: () => Date;
  /** How long shutdown waits for each module service to stop (default 5 s). */
  serviceStopTimeoutMs?: number;
}

/** Default wait per module service on shutdown. */
export const SERVICE_STOP_TIMEOUT_MS = 5000;

/** Opens the database and builds the context (no migrations, no server). */
export async function createContext(opts: BootOptions = {}): Promise<AppContext> {
  const config = opts.config ?? loadConfig();
  const town = loadTown(config.LOTSE_TOWN);
  const log = opts.log ?? createLogger(config.LOTSE_LOG_LEVEL);
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolMax: config.LOTSE_DB_POOL_MAX }));
  return { config, town, database, db: database.db, log, now: opts.now ?? (() => new Date()) };
}

/** Every job handler: the core ones and those of all modules. */
export function allJobHandlers(): Record<string, JobHandler> {
  return Object.assign({}, coreJobs, ...modules.map((m) => m.jobs ?? {}));
}

/** The recurring jobs of all modules (`LotseModule.recurring`), kept scheduled by the worker. */
export function allRecurringSpecs(): RecurringSpec[] {
  return modules.flatMap((m) => m.recurring ?? []);
}

/** Migrates and loads demo data (idempotent). */
export async function prepare(ctx: AppContext): Promise<void> {
  await ctx.database.migrate();
  await ensureFirstAdmin(ctx);
  if (ctx.config.LOTSE_DEMO === 'on') {
    for (const m of modules) await m.seedDemo?.(ctx);
  }
}

/** Builds the web app with every module mounted. */
export function buildApp(ctx: AppContext): AppRouter {
  navRegistry.public = modules.flatMap((m) => m.nav?.public ?? []);
  navRegistry.staff = modules.flatMap((m) => m.nav?.staff ?? []);
  return createHttpApp(ctx, {
    middlewares: [sessionMiddleware],
    renderError: renderErrorPage,
    mount(app, api) {
      mountCorePages(
        app,
        modules.flatMap((m) => m.aiSystems ?? []),
      );
      for (const m of modules) m.routes?.(app, api, ctx);
    },
  });
}

/** The module services running in this process; `stop()` stops them all at once. */
export interface RunningServices {
  names: string[];
  stop(): Promise<void>;
}

/**
 * Starts the long-lived services of the modules (`LotseModule.services`), one after the other.
 * A service that fails to start is logged and boot goes on (it is still asked to stop later).
 * `stop()` stops all of them in parallel, waiting at most `stopTimeoutMs` for each; one that takes
 * longer is logged by name and left behind (its process is about to end).
 */
export async function startServices(ctx: AppContext, mods: LotseModule[] = modules, stopTimeoutMs = SERVICE_STOP_TIMEOUT_MS): Promise<RunningServices> {
  const started: ModuleService[] = [];
  for (const m of mods) {
    let list: ModuleService[] = [];
    try {
      list = m.services?.(ctx) ?? [];
    } catch (e) {
      ctx.log.error({ module: m.name, err: (e as Error).message }, 'module services not created');
    }
    for (const s of list) {
      started.push(s);
      try {
        await s.start();
      } catch (e) {
        ctx.log.error({ service: s.name, err: (e as Error).message }, 'module service did not start');
      }
    }
  }
  const stopOne = async (s: ModuleService) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), stopTimeoutMs)));
    const stopped = Promise.resolve()
      .then(() => s.stop())
      .then(
        () => 'stopped' as const,
        (e: unknown) => {
          ctx.log.warn({ service: s.name, err: (e as Error)?.message }, 'module service failed to stop');
          return 'failed' as const;
        },
      );
    const outcome = await Promise.race([stopped, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') ctx.log.warn({ service: s.name, timeoutMs: stopTimeoutMs }, 'module service did not stop in time');
  };
  let stopping: Promise<void> | undefined;
  return {
    names: started.map((s) => s.name),
    stop: () => (stopping ??= Promise.all(started.map(stopOne)).then(() => undefined)),
  };
}

function portError(e: NodeJS.ErrnoException, config: Config): Error {
  if (e.code === 'EADDRINUSE') return new ConfigError(`Port ${config.PORT} ist bereits belegt. Beenden Sie das andere Programm oder wählen Sie mit PORT einen anderen Port.`);
  if (e.code === 'EACCES') return new ConfigError(`Port ${config.PORT} darf von diesem Benutzer nicht geöffnet werden. Wählen Sie mit PORT einen Port über 1024.`);
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
    return new ConfigError(`HOST=${config.HOST} ist keine Adresse dieses Rechners. Setzen Sie HOST auf 0.0.0.0, 127.0.0.1 oder eine eigene Adresse.`);
  return e;
}

/** Fails fast on a taken port, before the database is opened or migrated (bad input touches no data). */
function assertPortFree(config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (e: NodeJS.ErrnoException) => reject(portError(e, config)));
    probe.listen({ port: config.PORT, host: config.HOST, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function listen(app: AppRouter, config: Config): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serveHttp({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(server));
    server.once('error', (e: NodeJS.ErrnoException) => reject(portError(e, config)));
  });
}

/**
 * `lotse serve`: migrate, seed, listen, run the job worker and the module services; shut down cleanly
 * on SIGINT/SIGTERM (stop accepting requests, stop the module services and finish running jobs,
 * then CHECKPOINT and close PGlite, release the lock).
 */
export async function serve(opts: BootOptions = {}): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  const t0 = performance.now();
  const config = opts.config ?? loadConfig();
  await assertPortFree(config);
  const ctx = await createContext({ ...opts, config });
  let worker: Worker | undefined;
  let services: RunningServices | undefined;
  let server: ServerType | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      // Services and jobs may still use the database: both end before it is closed.
      await Promise.all([services?.stop(), worker?.stop()]);
      await ctx.database.close();
    })());
  try {
    await prepare(ctx);
    const app = buildApp(ctx);
    server = await listen(app, ctx.config);
    if (ctx.config.LOTSE_WORKER === 'on') {
      worker = startWorker(ctx, allJobHandlers(), { recurringSpecs: allRecurringSpecs(), concurrency: ctx.config.LOTSE_WORKER_CONCURRENCY });
      services = await startServices(ctx, modules, opts.serviceStopTimeoutMs);
    }
  } catch (e) {
    await close();
    throw e;
  }
  if (ctx.config.LOTSE_CAPTCHA === 'off') ctx.log.warn('LOTSE_CAPTCHA=off: Captcha abgeschaltet – nur für Tests zulässig.');
  if (ctx.config.LOTSE_RATE_LIMIT === 'off') ctx.log.warn('LOTSE_RATE_LIMIT=off: Ratenbegrenzung abgeschaltet – nur für Tests zulässig.');
  ctx.log.info({ port: ctx.config.PORT, database: ctx.database.kind, worker: worker ? ctx.config.LOTSE_WORKER_CONCURRENCY : 0, services: services?.names ?? [], startupMs: Math.round(performance.now() - t0) }, 'Lotse läuft');
  process.stderr.write(`Lotse läuft auf ${ctx.config.baseUrl} (Datenbank: ${ctx.database.kind === 'pglite' ? `eingebettet in ${ctx.config.dataDir}` : 'PostgreSQL'})\n`);
  return { ctx, close };
}
