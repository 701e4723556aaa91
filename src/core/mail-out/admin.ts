import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { assertCan } from '../auth/guard.ts';
import { execRows, type DbOrTx } from '../db/index.ts';
import { AppError, validationError } from '../errors.ts';
import { retryJob } from '../jobs/admin.ts';
import type { Db } from '../db/index.ts';
import { maskEmail } from './mask.ts';

export const OUTBOX_STATUSES = ['queued', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** An outbox entry as staff see it: the recipient is masked, bodies are not shown. */
export interface OutboxListItem {
  id: string;
  /** e.g. `m***@example.org` */
  recipient: string;
  subject: string;
  kind: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date;
  transport: string | null;
  attachmentCount: number;
}

const listInput = z.object({
  status: z.enum(OUTBOX_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** Outbox, newest first. Needs `admin.jobs`. */
export async function listOutbox(
  db: DbOrTx,
  actor: Actor,
  opts: { status?: string | undefined; page?: number | string | undefined; pageSize?: number } = {},
): Promise<{ items: OutboxListItem[]; total: number; page: number; pageSize: number }> {
  assertCan(actor, 'admin.jobs');
  const parsed = listInput.safeParse(opts);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { status, page, pageSize } = parsed.data;
  const where = status ? sql`WHERE status = ${status}` : sql``;
  const [count] = await execRows<{ n: string | number }>(db, sql`SELECT count(*) AS n FROM outbox ${where}`);
  const rows = await execRows<{
    id: string;
    to_address: string;
    subject: string;
    kind: string;
    status: OutboxStatus;
    attempts: number;
    last_error: string | null;
    created_at: Date | string;
    sent_at: Date | string | null;
    next_attempt_at: Date | string;
    transport: string | null;
    n_att: number;
  }>(
    db,
    sql`SELECT id, to_address, subject, kind, status, attempts, last_error, created_at, sent_at, next_attempt_at, transport,
          jsonb_array_length(attachments)::int AS n_att
        FROM outbox ${where} ORDER BY created_at DESC, id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      recipient: maskEmail(r.to_address),
      subject: r.subject,
      kind: r.kind,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: new Date(r.created_at),
      sentAt: r.sent_at === null ? null : new Date(r.sent_at),
      nextAttemptAt: new Date(r.next_attempt_at),
      transport: r.transport,
      attachmentCount: Number(r.n_att),
    })),
    total: Number(count?.n ?? 0),
    page,
    pageSize,
  };
}

/** Mails per status (all statuses present). Needs `admin.jobs`. */
export async function outboxCounts(db: DbOrTx, actor: Actor): Promise<Record<OutboxStatus, number>> {
  assertCan(actor, 'admin.jobs');
  const rows = await execRows<{ status: string; n: string | number }>(db, sql`SELECT status, count(*) AS n FROM outbox GROUP BY status`);
  const out = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const r of rows) if ((OUTBOX_STATUSES as readonly string[]).includes(r.status)) out[r.status as OutboxStatus] = Number(r.n);
  return out;
}

/** Retention (GDPR): sent mails are kept 30 days, dead letters 90 days (time to investigate). */
export const OUTBOX_RETENTION = { sentDays: 30, deadDays: 90 } as const;

/** Deletes mails past retention; resolves with how many of each were deleted. */
export async function purgeOutbox(db: DbOrTx, now: Date = new Date()): Promise<{ sent: number; dead: number }> {
  const sent = await execRows(
    db,
    sql`DELETE FROM outbox WHERE status = 'sent' AND sent_at < ${now.toISOString()}::timestamptz - make_interval(days => ${OUTBOX_RETENTION.sentDays}) RETURNING id`,
  );
  const dead = await execRows(
    db,
    sql`DELETE FROM outbox WHERE status = 'dead' AND created_at < ${now.toISOString()}::timestamptz - make_interval(days => ${OUTBOX_RETENTION.deadDays}) RETURNING id`,
  );
  return { sent: sent.length, dead: dead.length };
}

/**
 * Sends a dead mail again: its dead `mail.send` job is put back into the queue (audited as
 * `job.retry`). Needs `admin.jobs`.
 * @throws AppError not_found / conflict (mail not dead)
 */
export async function retryMail(db: Db, actor: Actor, outboxId: string, requestId?: string | null): Promise<void> {
  assertCan(actor, 'admin.jobs');
  if (!z.uuid().safeParse(outboxId).success) throw new AppError('not_found', 'Die E-Mail wurde nicht gefunden.');
  const [row] = await execRows<{ status: string; job_id: string | number | null }>(
    db,
    sql`SELECT o.status, (SELECT j.id FROM jobs j WHERE j.queue = 'mail.send' AND j.payload->>'outboxId' = o.id::text ORDER BY j.id DESC LIMIT 1) AS job_id
        FROM outbox o WHERE o.id = ${outboxId}`,
  );
  if (!row) throw new AppError('not_found', 'Die E-Mail wurde nicht gefunden.');
  if (row.status !== 'dead' || row.job_id === null) throw new AppError('conflict', 'Nur endgültig fehlgeschlagene E-Mails können erneut gesendet werden.');
  await retryJob(db, actor, row.job_id, requestId);
}
