import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { execRows } from '../db/index.ts';
import type { JobHandler } from '../module.ts';

export interface WorkerOptions {
  /** Parallel jobs in this instance. */
  concurrency?: number;
  /** Poll interval when the queue is empty. */
  idleMs?: number;
  /** A running job whose lock is older than this is considered crashed and retried. */
  staleAfterMs?: number;
}

export interface Worker {
  /** Claims and runs due jobs once; resolves with the number of jobs run (tests call this). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Exponential backoff: 5 s, 25 s, 125 s … capped at one hour. */
export const backoffMs = (attempt: number): number => Math.min(3_600_000, 5000 * 5 ** Math.max(0, attempt - 1));

/**
 * Starts the job worker. Jobs are claimed with `FOR UPDATE SKIP LOCKED`, so any number of
 * instances can run workers against one PostgreSQL without running a job twice.
 * A failing job is retried with backoff; after `max_attempts` it becomes a dead letter
 * (status `dead`, visible in the admin UI).
 */
export function startWorker(ctx: AppContext, handlers: Record<string, JobHandler>, opts: WorkerOptions & { autostart?: boolean } = {}): Worker {
  const id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const idleMs = opts.idleMs ?? 1000;
  const staleMs = opts.staleAfterMs ?? 15 * 60_000;
  const queues = Object.keys(handlers);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function claim(limit: number) {
    if (!queues.length) return [];
    return execRows<{ id: number | string; queue: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>(
      ctx.db,
      sql`
      UPDATE jobs SET status = 'running', locked_at = now(), locked_by = ${id}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM jobs
        WHERE queue IN (${sql.join(queues.map((q) => sql`${q}`), sql`, `)})
          AND ((status = 'queued' AND run_at <= now())
            OR (status = 'running' AND locked_at < now() - make_interval(secs => ${staleMs / 1000})))
        ORDER BY run_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, queue, payload, attempts, max_attempts`,
    );
  }

  async function runJob(job: Awaited<ReturnType<typeof claim>>[number]) {
    const handler = handlers[job.queue]!;
    try {
      await handler(ctx, job.payload);
      await ctx.db.execute(sql`UPDATE jobs SET status = 'done', finished_at = now(), last_error = NULL WHERE id = ${job.id}`);
    } catch (e) {
      const message = (e as Error).message.slice(0, 2000);
      const dead = job.attempts >= job.max_attempts;
      ctx.log.warn({ jobId: job.id, queue: job.queue, attempt: job.attempts, dead }, 'job failed');
      await ctx.db.execute(sql`
        UPDATE jobs SET status = ${dead ? 'dead' : 'queued'}, last_error = ${message}, locked_at = NULL, locked_by = NULL,
          run_at = now() + make_interval(secs => ${backoffMs(job.attempts) / 1000}),
          finished_at = ${dead ? sql`now()` : sql`NULL`}
        WHERE id = ${job.id}`);
    }
  }

  async function runOnce(): Promise<number> {
    const batch = await claim(opts.concurrency ?? 2);
    await Promise.all(batch.map(runJob));
    return batch.length;
  }

  async function loop() {
    if (stopped) return;
    let n = 0;
    try {
      running = runOnce();
      n = (await running) as number;
    } catch (e) {
      ctx.log.error({ err: (e as Error).message }, 'job worker error');
    }
    if (!stopped) timer = setTimeout(loop, n > 0 ? 0 : idleMs);
  }

  if (opts.autostart !== false) timer = setTimeout(loop, idleMs);
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
