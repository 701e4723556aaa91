import { sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../db/index.ts';
import { jobs } from './schema.ts';

export { jobs };

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** At most one queued/running job with this key. */
  singletonKey?: string;
}

/**
 * Queues a background job in the caller's transaction (so it exists only if the change commits).
 * Handlers are registered by modules (`LotseModule.jobs`) and run by the worker in `worker.ts`.
 * @example await enqueue(tx, 'mail.send', { outboxId })
 */
export async function enqueue(tx: DbOrTx, queue: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions = {}): Promise<void> {
  if (opts.singletonKey) {
    const existing = await execRows(
      tx,
      sql`SELECT 1 FROM jobs WHERE singleton_key = ${opts.singletonKey} AND status IN ('queued','running') LIMIT 1`,
    );
    if (existing.length) return;
  }
  await tx.insert(jobs).values({
    queue,
    payload,
    runAt: opts.runAt ?? new Date(),
    maxAttempts: opts.maxAttempts ?? 5,
    singletonKey: opts.singletonKey ?? null,
  });
}
