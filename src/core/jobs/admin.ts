import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { assertCan } from '../auth/guard.ts';
import { writeAudit } from '../audit/index.ts';
import { execRows, type Db } from '../db/index.ts';
import { AppError, validationError } from '../errors.ts';

export const JOB_STATUSES = ['queued', 'running', 'done', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobListItem {
  id: number;
  queue: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  createdAt: Date;
  finishedAt: Date | null;
  lastError: string | null;
  singletonKey: string | null;
}

const listInput = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const d = (v: Date | string | null) => (v === null ? null : new Date(v));

/** Jobs, newest first, optionally of one status. Needs `admin.jobs`. Payloads are not shown (they may reference personal data). */
export async function listJobs(
  db: Db,
  actor: Actor,
  opts: { status?: string | undefined; page?: number | string | undefined; pageSize?: number } = {},
): Promise<{ items: JobListItem[]; total: number; page: number; pageSize: number }> {
  assertCan(actor, 'admin.jobs');
  const parsed = listInput.safeParse(opts);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { status, page, pageSize } = parsed.data;
  const where = status ? sql`WHERE status = ${status}` : sql``;
  const [count] = await execRows<{ n: string | number }>(db, sql`SELECT count(*) AS n FROM jobs ${where}`);
  const rows = await execRows<{
    id: string | number;
    queue: string;
    status: JobStatus;
    attempts: number;
    max_attempts: number;
    run_at: Date | string;
    created_at: Date | string;
    finished_at: Date | string | null;
    last_error: string | null;
    singleton_key: string | null;
  }>(
    db,
    sql`SELECT id, queue, status, attempts, max_attempts, run_at, created_at, finished_at, last_error, singleton_key
        FROM jobs ${where} ORDER BY id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
  );
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      queue: r.queue,
      status: r.status,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      runAt: new Date(r.run_at),
      createdAt: new Date(r.created_at),
      finishedAt: d(r.finished_at),
      lastError: r.last_error,
      singletonKey: r.singleton_key,
    })),
    total: Number(count?.n ?? 0),
    page,
    pageSize,
  };
}

/** Number of jobs per status (every status present, 0 when none). Needs `admin.jobs`. */
export async function jobCounts(db: Db, actor: Actor): Promise<Record<JobStatus, number>> {
  assertCan(actor, 'admin.jobs');
  const rows = await execRows<{ status: string; n: string | number }>(db, sql`SELECT status, count(*) AS n FROM jobs GROUP BY status`);
  const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const r of rows) if ((JOB_STATUSES as readonly string[]).includes(r.status)) out[r.status as JobStatus] = Number(r.n);
  return out;
}

/**
 * Puts a dead job back into the queue with fresh attempts (audited as `job.retry`). Needs `admin.jobs`.
 * @throws AppError not_found / conflict (not dead, or another job with its singleton key is pending)
 */
export async function retryJob(db: Db, actor: Actor, id: number | string, requestId?: string | null): Promise<void> {
  assertCan(actor, 'admin.jobs');
  const parsed = z.coerce.number().int().positive().safeParse(id);
  if (!parsed.success) throw new AppError('not_found', 'Der Auftrag wurde nicht gefunden.');
  await db
    .transaction(async (tx) => {
      const [job] = await execRows<{ status: string; queue: string; attempts: number; outbox_id: string | null }>(
        tx,
        sql`SELECT status, queue, attempts, payload->>'outboxId' AS outbox_id FROM jobs WHERE id = ${parsed.data} FOR UPDATE`,
      );
      if (!job) throw new AppError('not_found', 'Der Auftrag wurde nicht gefunden.');
      if (job.status !== 'dead') throw new AppError('conflict', 'Nur endgültig fehlgeschlagene Aufträge können erneut versucht werden.');
      await tx.execute(sql`UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL, locked_at = NULL, locked_by = NULL WHERE id = ${parsed.data}`);
      // A mail delivery job: the outbox shows the mail as waiting again.
      if (job.queue === 'mail.send' && job.outbox_id) {
        await tx.execute(sql`UPDATE outbox SET status = 'queued', next_attempt_at = now() WHERE id::text = ${job.outbox_id} AND status = 'dead'`);
      }
      await writeAudit(tx, {
        actor,
        action: 'job.retry',
        objectType: 'job',
        objectId: String(parsed.data),
        summary: { queue: job.queue, before: { status: 'dead', attempts: job.attempts }, after: { status: 'queued', attempts: 0 } },
        requestId: requestId ?? null,
      });
    })
    .catch((e: unknown) => {
      if ((e as { code?: string; cause?: { code?: string } }).code === '23505' || (e as { cause?: { code?: string } }).cause?.code === '23505') {
        throw new AppError('conflict', 'Ein gleichartiger Auftrag ist bereits eingeplant; dieser wird nicht erneut gestartet.');
      }
      throw e;
    });
}
