import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { execRows } from '../db/index.ts';
import type { JobHandler } from '../module.ts';
import { sealAudit } from '../audit/seal.ts';
import { PermanentJobError } from './index.ts';
import { DEFAULT_RECURRING, recurringFromSpec, scheduleRecurring, type RecurringJob, type RecurringSpec } from './schedule.ts';

export interface WorkerOptions {
  /** Jobs this worker runs at once (default 2; `lotse serve` passes LOTSE_WORKER_CONCURRENCY). */
  concurrency?: number;
  /** Poll interval when the queue is empty. */
  idleMs?: number;
  /** A running job whose lock is older than this is considered crashed and retried. */
  staleAfterMs?: number;
  /** Recurring jobs kept scheduled (default: `maintenance.daily`); only those with a handler. */
  recurring?: RecurringJob[];
  /** Recurring jobs of the modules (`LotseModule.recurring`), added to `recurring`. */
  recurringSpecs?: RecurringSpec[];
  /** Worker id (default host:pid:random), stored in `jobs.locked_by`. */
  id?: string;
}

/** What a handler may learn about the run (passed as third argument). */
export interface JobRunInfo {
  id: number;
  queue: string;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  /** True when a failure now makes the job a dead letter. */
  lastAttempt: boolean;
}

export type JobHandlerWithInfo = (ctx: AppContext, payload: Record<string, unknown>, job: JobRunInfo) => Promise<void>;

export interface Worker {
  /** Claims and runs due jobs once; resolves with the number of jobs run (tests call this). */
  runOnce(): Promise<number>;
  /** Jobs running right now in the background loop. */
  readonly active: number;
  /** Queues the recurring jobs that have no pending run; resolves with the number queued (the loop does this once a minute). */
  schedule(): Promise<number>;
  stop(): Promise<void>;
}

/** Exponential backoff: 5 s, 25 s, 125 s … capped at one hour. */
export const backoffMs = (attempt: number): number => Math.min(3_600_000, 5000 * 5 ** Math.max(0, attempt - 1));

/**
 * Starts the job worker. Jobs are claimed with `FOR UPDATE SKIP LOCKED`, so any number of
 * instances can run workers against one PostgreSQL without running a job twice.
 * A failing job is retried with backoff; after `max_attempts` (or at once for a
 * `PermanentJobError`) it becomes a dead letter (status `dead`, visible in the admin UI).
 * A job whose worker died (lock older than `staleAfterMs`) is claimed again, or declared dead
 * when it has no attempts left. Recurring jobs (core + `LotseModule.recurring`) are kept scheduled
 * under one singleton key per queue: a finished run queues the next one, and once a minute the
 * worker re-queues any that are missing (safe with several instances),
 * and on every tick it seals new audit entries into the hash chain (`sealAudit`).
 * At most `concurrency` jobs run at once; a finished job frees its slot at once (the loop claims the
 * next due job without waiting for the others of its batch).
 */
export function startWorker(ctx: AppContext, handlers: Record<string, JobHandler>, opts: WorkerOptions & { autostart?: boolean } = {}): Worker {
  const id = opts.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const idleMs = opts.idleMs ?? 1000;
  const limit = Math.max(1, Math.floor(opts.concurrency ?? 2));
  const staleSecs = (opts.staleAfterMs ?? 15 * 60_000) / 1000;
  const queues = Object.keys(handlers);
  const recurring = [...(opts.recurring ?? DEFAULT_RECURRING), ...(opts.recurringSpecs ?? []).map(recurringFromSpec)];
  const recurringByQueue = new Map(recurring.map((r) => [r.queue, r]));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  /** Jobs of the background loop that have not finished yet. */
  const inFlight = new Set<Promise<void>>();
  /** Wakes the idle loop early (a slot became free). */
  let wake: (() => void) | undefined;
  let lastSchedule = 0;
  const queueList = () => sql.join(queues.map((q) => sql`${q}`), sql`, `);

  async function claim(limit: number) {
    if (!queues.length) return [];
    // Crashed jobs without attempts left become dead letters instead of running once more.
    await ctx.db.execute(sql`
      UPDATE jobs SET status = 'dead', finished_at = now(), locked_at = NULL, locked_by = NULL,
        last_error = coalesce(last_error || ' / ', '') || 'Abgebrochen: Worker nicht mehr erreichbar, keine Versuche mehr übrig'
      WHERE status = 'running' AND attempts >= max_attempts AND queue IN (${queueList()})
        AND locked_at < now() - make_interval(secs => ${staleSecs})`);
    return execRows<{ id: number | string; queue: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>(
      ctx.db,
      sql`
      UPDATE jobs SET status = 'running', locked_at = now(), locked_by = ${id}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM jobs
        WHERE queue IN (${queueList()})
          AND ((status = 'queued' AND run_at <= now())
            OR (status = 'running' AND locked_at < now() - make_interval(secs => ${staleSecs})))
        ORDER BY run_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, queue, payload, attempts, max_attempts`,
    );
  }

  async function runJob(job: Awaited<ReturnType<typeof claim>>[number]) {
    const handler = handlers[job.queue]! as JobHandlerWithInfo;
    const info: JobRunInfo = {
      id: Number(job.id),
      queue: job.queue,
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      lastAttempt: job.attempts >= job.max_attempts,
    };
    try {
      await handler(ctx, job.payload, info);
      // Only the holder of the lock finishes the job (a stale re-claim by another worker wins).
      await ctx.db.execute(sql`UPDATE jobs SET status = 'done', finished_at = now(), last_error = NULL, locked_at = NULL WHERE id = ${job.id} AND locked_by = ${id}`);
      await scheduleNext(job.queue);
    } catch (e) {
      const message = String((e as Error)?.message ?? e).slice(0, 2000);
      const dead = info.lastAttempt || e instanceof PermanentJobError;
      ctx.log.warn({ jobId: job.id, queue: job.queue, attempt: job.attempts, dead }, 'job failed');
      await ctx.db.execute(sql`
        UPDATE jobs SET status = ${dead ? 'dead' : 'queued'}, last_error = ${message}, locked_at = NULL, locked_by = NULL,
          run_at = now() + make_interval(secs => ${backoffMs(job.attempts) / 1000}),
          finished_at = ${dead ? sql`now()` : sql`NULL`}
        WHERE id = ${job.id} AND locked_by = ${id}`);
      if (dead) await scheduleNext(job.queue);
    }
  }

  /** A recurring job queues its next run as soon as this one is finished (the singleton key is free again). */
  async function scheduleNext(queue: string) {
    const r = recurringByQueue.get(queue);
    if (!r) return;
    try {
      await scheduleRecurring(ctx.db, [r], queues, ctx.now());
    } catch (e) {
      ctx.log.warn({ queue, err: (e as Error).message }, 'recurring job not rescheduled');
    }
  }

  async function runOnce(): Promise<number> {
    const batch = await claim(limit);
    await Promise.all(batch.map(runJob));
    return batch.length;
  }

  /** Claims as many due jobs as there are free slots and starts them without waiting for them. */
  async function tick(): Promise<number> {
    // Chain the audit entries committed since the last tick (cheap when there are none).
    await sealAudit(ctx.db);
    if (Date.now() - lastSchedule > 60_000) {
      lastSchedule = Date.now();
      await scheduleRecurring(ctx.db, recurring, queues, ctx.now());
    }
    const free = limit - inFlight.size;
    if (free <= 0 || stopped) return 0;
    const batch = await claim(free);
    for (const job of batch) {
      const p: Promise<void> = runJob(job)
        .catch((e) => ctx.log.error({ jobId: job.id, queue: job.queue, err: (e as Error).message }, 'job not finished'))
        .finally(() => {
          inFlight.delete(p);
          wake?.();
        });
      inFlight.add(p);
    }
    return batch.length;
  }

  async function loop() {
    timer = undefined;
    if (stopped) return;
    let n = 0;
    try {
      const p = tick();
      running = p;
      n = await p;
    } catch (e) {
      ctx.log.error({ err: (e as Error).message }, 'job worker error');
    }
    if (stopped) return;
    // Claimed some and slots are left: more may be due. Otherwise wait until a slot frees or idleMs passed.
    if (n > 0 && inFlight.size < limit) timer = setTimeout(loop, 0);
    else {
      timer = setTimeout(loop, idleMs);
      wake = () => {
        wake = undefined;
        if (timer && !stopped) {
          clearTimeout(timer);
          timer = setTimeout(loop, 0);
        }
      };
    }
  }

  if (opts.autostart !== false) timer = setTimeout(loop, idleMs);
  return {
    runOnce,
    get active() {
      return inFlight.size;
    },
    schedule: () => scheduleRecurring(ctx.db, recurring, queues, ctx.now()),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
      await Promise.all([...inFlight]);
    },
  };
}
