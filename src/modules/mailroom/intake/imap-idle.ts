import type { AppContext } from '../../../core/context.ts';
import type { ModuleService } from '../../../core/module.ts';
import { INSTANCE_ID, MAX_MESSAGES_PER_POLL, imapClient, pollMailboxRecorded, type PollResult } from './imap-poll.ts';
import { acquireMailboxLease, findMailbox, listMailboxes, releaseMailboxLease, setIdleSupported } from './repository.ts';
import type { MailboxRow } from './schema.ts';

/**
 * IMAP IDLE: one long-lived connection per active mailbox that waits for new mail and reads it within
 * seconds. The connection only listens; the reading itself is the poll (`pollMailbox`: store and commit,
 * then flag and move), so the safe path and the crash guarantees stay the same.
 *
 * - Only the holder of the mailbox lease (`mailroom_mailboxes.lease_owner`, owner `idle:<instance>`,
 *   renewed every third of {@link ImapIdleOptions.leaseSeconds}) keeps an IDLE connection; the poll
 *   job skips leased mailboxes. Several instances sharing PostgreSQL therefore never read one mailbox
 *   at the same time; a crashed instance's lease expires and another takes over.
 * - A server without IDLE: the watcher stops for that mailbox (`idle_supported = false`) and the
 *   recurring poll (every 60 s) goes on reading it.
 * - Connection errors: reconnect with backoff (2 s doubling to 5 min); the lease is given back while
 *   waiting so the poll job can read the mailbox (and record the error) meanwhile.
 * - While idling, the mailbox is also read every {@link ImapIdleOptions.recheckSeconds} (a missed
 *   notification costs minutes at most) and when the connection comes up (mail that arrived while
 *   nobody listened).
 * - Runs as the module service `mailroom.imap-idle` ({@link imapIdleServices}, `LotseModule.services`):
 *   `lotse serve` starts it on instances with `LOTSE_WORKER=on` and stops it on SIGTERM/SIGINT before
 *   the database is closed — the watchers finish the message they are reading, log out and give
 *   their leases back. The service looks for new or deactivated mailboxes every {@link IDLE_SYNC_SECONDS}.
 */
export interface ImapIdleOptions {
  leaseSeconds: number;
  recheckSeconds: number;
  /** First reconnect delay; doubles per failure up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Retry delay when another reader holds the lease. */
  leaseRetryMs: number;
}

export const DEFAULT_IDLE_OPTIONS: ImapIdleOptions = {
  leaseSeconds: 90,
  recheckSeconds: 300,
  backoffMs: 2000,
  maxBackoffMs: 300_000,
  leaseRetryMs: 15_000,
};

export interface WatcherStatus {
  mailboxId: number;
  mailbox: string;
  state: 'starting' | 'idle' | 'waiting-lease' | 'backoff' | 'unsupported' | 'stopped';
  /** Reads triggered by the IDLE connection (new mail, connect, periodic recheck). */
  reads: number;
  /** IDLE connections opened so far (more than one: reconnected). */
  connections: number;
  lastResult?: PollResult;
}

class Watcher {
  status: WatcherStatus;
  private stopped = false;
  private wake: (() => void) | null = null;
  private closeConnection: (() => void) | null = null;
  private reading: Promise<void> = Promise.resolve();
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private busy = false;
  done: Promise<void> = Promise.resolve();
  readonly startedAt = Date.now();

  constructor(
    private readonly ctx: AppContext,
    readonly mailboxId: number,
    name: string,
    private readonly opts: ImapIdleOptions,
    private readonly owner: string,
  ) {
    this.status = { mailboxId, mailbox: name, state: 'starting', reads: 0, connections: 0 };
  }

  start(): void {
    this.done = this.loop().catch((e) =>
      this.ctx.log.error({ mailboxId: this.mailboxId, err: (e as Error).message }, 'imap idle watcher ended'),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.closeConnection?.();
    this.wake?.();
    await this.done;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let leased = false;
      try {
        leased = await acquireMailboxLease(this.ctx.db, this.mailboxId, this.owner, this.opts.leaseSeconds);
      } catch (e) {
        this.ctx.log.warn({ mailboxId: this.mailboxId, err: (e as Error).message }, 'imap idle: lease failed');
      }
      if (!leased) {
        this.status.state = 'waiting-lease';
        await this.sleep(this.opts.leaseRetryMs);
        continue;
      }
      let outcome: 'closed' | 'unsupported' | 'inactive' | 'failed' = 'failed';
      const began = Date.now();
      try {
        outcome = await this.session();
        // A connection the server drops at once again and again is backed off like a failure.
        if (outcome === 'closed') failures = Date.now() - began >= 30_000 ? 0 : failures + 1;
      } catch (e) {
        this.ctx.log.warn({ mailboxId: this.mailboxId, err: (e as Error).message }, 'imap idle connection failed');
      }
      await this.reading.catch(() => undefined);
      await releaseMailboxLease(this.ctx.db, this.mailboxId, this.owner).catch(() => undefined);
      if (outcome === 'unsupported' || outcome === 'inactive') {
        this.status.state = outcome === 'unsupported' ? 'unsupported' : 'stopped';
        return;
      }
      if (this.stopped) break;
      if (outcome === 'failed') failures++;
      if (failures > 0) this.ctx.log.info({ mailboxId: this.mailboxId, failures }, 'imap idle: reconnecting after backoff');
      this.status.state = 'backoff';
      await this.sleep(Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** Math.max(0, failures - 1)));
    }
    this.status.state = 'stopped';
  }

  /** One IDLE connection, until it closes, the lease is lost or the watcher stops. */
  private async session(): Promise<'closed' | 'unsupported' | 'inactive' | 'failed'> {
    const mb = await findMailbox(this.ctx.db, this.mailboxId);
    if (!mb || !mb.active) return 'inactive';
    const client = await imapClient(mb, {
      autoIdleDelay: 200,
      // Restart IDLE well within the 29 minutes of RFC 2177 (and of NAT timeouts).
      maxIdleTime: 4 * 60_000,
    });
    const closed = new Promise<'closed'>((resolve) => client.once('close', () => resolve('closed')));
    client.on('error', (err: Error) => this.ctx.log.warn({ mailbox: mb.name, err: err.message }, 'imap idle connection error'));
    this.closeConnection = () => client.close();
    const timers: NodeJS.Timeout[] = [];
    try {
      await client.connect();
      if (this.stopped) return 'closed';
      if (!client.capabilities.has('IDLE')) {
        await setIdleSupported(this.ctx.db, mb.id, false);
        this.ctx.log.info({ mailbox: mb.name }, 'imap server offers no IDLE: the mailbox is polled');
        await client.logout().catch(() => client.close());
        return 'unsupported';
      }
      if (mb.idleSupported !== true) await setIdleSupported(this.ctx.db, mb.id, true);
      this.status.connections++;
      await client.mailboxOpen(mb.folder, { readOnly: true });
      client.on('exists', (data: { count: number; prevCount: number }) => {
        if (data.count > data.prevCount) this.trigger(mb);
      });
      this.status.state = 'idle';
      this.trigger(mb); // what arrived while nobody listened
      timers.push(
        setInterval(
          () => {
            acquireMailboxLease(this.ctx.db, this.mailboxId, this.owner, this.opts.leaseSeconds).then(
              (ok) => {
                if (!ok) {
                  this.ctx.log.warn({ mailbox: mb.name }, 'imap idle: lease lost, closing the connection');
                  client.close();
                }
              },
              () => client.close(),
            );
          },
          (this.opts.leaseSeconds * 1000) / 3,
        ),
        setInterval(() => this.trigger(mb), this.opts.recheckSeconds * 1000),
      );
      return await closed;
    } finally {
      for (const t of timers) clearInterval(t);
      this.closeConnection = null;
      if (client.usable) await client.logout().catch(() => client.close());
    }
  }

  /** Reads the mailbox (one read at a time; a notification during a read runs one more). */
  private trigger(mb: MailboxRow): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          const fresh = (await findMailbox(this.ctx.db, mb.id)) ?? mb;
          const r = await pollMailboxRecorded(this.ctx, fresh, { stopRequested: () => this.stopped });
          this.status.reads++;
          this.status.lastResult = r;
          // A full batch: more are waiting.
          if (r.fetched >= MAX_MESSAGES_PER_POLL) this.again = true;
          // A failed read (e.g. the read connection was dropped after the commit, before the move):
          // try again soon rather than waiting for the next notification or the 60-s poll.
          if (r.error && !this.stopped)
            this.retryTimer ??= setTimeout(() => {
              this.retryTimer = null;
              // Only while this watcher still listens (and so holds the lease).
              if (this.status.state === 'idle') this.trigger(mb);
            }, READ_RETRY_MS);
        } while (this.again && !this.stopped);
      } catch (e) {
        this.ctx.log.warn({ mailbox: mb.name, err: (e as Error).message }, 'imap idle read failed');
      } finally {
        this.busy = false;
      }
    })();
  }
}

/** The IDLE watchers of one context (process). */
export class ImapIdleService {
  private readonly watchers = new Map<number, Watcher>();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: ImapIdleOptions = DEFAULT_IDLE_OPTIONS,
    /** Lease owner id; tests pass their own to act as a second instance. */
    readonly owner = `idle:${INSTANCE_ID}`,
  ) {}

  /** Starts a watcher for each active mailbox that has none (and did not turn out to lack IDLE); stops those of inactive mailboxes. */
  async sync(): Promise<void> {
    if (this.stopped) return;
    const active = await listMailboxes(this.ctx.db, true);
    const ids = new Set(active.map((m) => m.id));
    for (const [id, w] of this.watchers) {
      if (!ids.has(id)) {
        this.watchers.delete(id);
        await w.stop();
      }
    }
    for (const mb of active) {
      const w = this.watchers.get(mb.id);
      // A mailbox found without IDLE is polled; IDLE is tried again once a day (the server may have changed).
      if (w && w.status.state !== 'stopped' && (w.status.state !== 'unsupported' || Date.now() - w.startedAt < 86_400_000)) continue;
      const fresh = new Watcher(this.ctx, mb.id, mb.name, this.opts, this.owner);
      this.watchers.set(mb.id, fresh);
      fresh.start();
    }
  }

  status(): WatcherStatus[] {
    return [...this.watchers.values()].map((w) => ({ ...w.status }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.watchers.values()].map((w) => w.stop()));
    this.watchers.clear();
  }
}

const services = new WeakMap<AppContext, ImapIdleService>();

/** Seconds between looks for new, changed or deactivated mailboxes (same as the poll). */
export const IDLE_SYNC_SECONDS = 60;

/** Delay before a failed read of a listened-to mailbox is tried again. */
const READ_RETRY_MS = 5_000;

/** The IDLE service of this context, created on first use (bench and tests; `lotse serve` uses {@link imapIdleServices}). */
export function imapIdleService(ctx: AppContext, opts?: Partial<ImapIdleOptions>): ImapIdleService {
  let s = services.get(ctx);
  if (!s) {
    s = new ImapIdleService(ctx, { ...DEFAULT_IDLE_OPTIONS, ...opts });
    services.set(ctx, s);
  }
  return s;
}

/**
 * `LotseModule.services` of the mailroom: with LOTSE_IMAP_IDLE=on one service that keeps an IDLE
 * watcher per active mailbox (synced at start and every {@link IDLE_SYNC_SECONDS}); none when off.
 */
export function imapIdleServices(ctx: AppContext, syncSeconds = IDLE_SYNC_SECONDS): ModuleService[] {
  if (ctx.config.LOTSE_IMAP_IDLE !== 'on') return [];
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | undefined;
  const sync = () =>
    (syncing ??= imapIdleService(ctx)
      .sync()
      .catch((e) => ctx.log.warn({ err: (e as Error).message }, 'imap idle: mailbox sync failed'))
      .finally(() => (syncing = undefined)));
  return [
    {
      name: 'mailroom.imap-idle',
      async start() {
        await sync();
        timer = setInterval(sync, syncSeconds * 1000);
        timer.unref();
      },
      async stop() {
        clearInterval(timer);
        await syncing;
        await stopImapIdle(ctx);
      },
    },
  ];
}

/** Stops the IDLE watchers of this context (if any). */
export async function stopImapIdle(ctx: AppContext): Promise<void> {
  await services.get(ctx)?.stop();
}
