import type { AppContext } from './context.ts';
import type { AppRouter } from './http/app.ts';
import type { RecurringSpec } from './jobs/schedule.ts';
import type { PrivacyRecord } from './privacy.ts';

export type { RecurringSpec };

export interface NavItem {
  href: string;
  label: string;
  /** English label for citizens who chose English (falls back to `label`). */
  labelEn?: string;
  /** Permission needed to see the entry (staff area), see `auth/permissions.ts`. */
  permission?: string;
}

export type JobHandler = (ctx: AppContext, payload: Record<string, unknown>) => Promise<void>;

/** An AI system a module runs; listed on the public "Über die KI" page and in the AI register. */
export interface AiSystemInfo {
  id: string;
  name: string;
  purpose: string;
  /** rule set / model kind, e.g. "BM25-Suche + Regeln (ohne LLM)". */
  technique: string;
  /** Whether a human decides (always true unless a recorded legal basis allows automation). */
  humanOversight: string;
}

/**
 * A long-lived part of a module (e.g. the mailroom's IMAP IDLE watchers). `lotse serve` starts it after
 * the job worker, only on instances with `LOTSE_WORKER=on`, and stops it on SIGINT/SIGTERM before the
 * database is closed (waiting up to 5 s, then logging its name and going on).
 */
export interface ModuleService {
  /** For logs, e.g. `mailroom.imap-idle`. */
  name: string;
  /** Should return quickly (start background loops, do not wait for them); a failure is logged, boot goes on. */
  start(): Promise<void> | void;
  /** Finishes the work in hand and lets go of connections and leases; must not throw. */
  stop(): Promise<void>;
}

/**
 * What a module contributes. Register it in `src/modules/index.ts`.
 * Modules import only `core/`, `text/`, `ml/`, `web/` and other modules' `index.ts`.
 */
export interface LotseModule {
  name: string;
  /** Pages go on `app`, machine API routes on `api` (served under /api/v1, in the OpenAPI document). */
  routes?: (app: AppRouter, api: AppRouter, ctx: AppContext) => void;
  nav?: { public?: NavItem[]; staff?: NavItem[] };
  /** Job handlers by queue name (`module.verb`). */
  jobs?: Record<string, JobHandler>;
  /**
   * Jobs the worker keeps scheduled: `everySeconds` (next run that long after the previous one
   * finished) or `dailyAt: 'HH:MM'` (Europe/Berlin). The queue needs a handler in `jobs`. One pending
   * run per queue across all instances (singleton key `recurring:<queue>`).
   */
  recurring?: RecurringSpec[];
  /** Long-lived services of this instance (see {@link ModuleService}); called once per `lotse serve`. */
  services?: (ctx: AppContext) => ModuleService[];
  /** Loads demo data; must be idempotent (runs at every start while LOTSE_DEMO=on). */
  seedDemo?: (ctx: AppContext) => Promise<void>;
  aiSystems?: AiSystemInfo[];
  /** Processings of personal data this module does; listed on the public `/datenschutz` page (see `core/privacy.ts`). */
  privacy?: PrivacyRecord[];
}
