import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { systemActor, type Actor } from '../../../core/auth/index.ts';
import { ingestDocument } from '../documents/ingest-document.ts';
import {
  acquireMailboxLease,
  findImapMessage,
  insertImapMessage,
  listMailboxes,
  listPendingImapUids,
  markImapMessageDone,
  markPendingImapUidDone,
  releaseMailboxLease,
  updateMailboxState,
} from './repository.ts';
import type { MailboxRow } from './schema.ts';
import type { ImapFlow, ImapFlowOptions } from 'imapflow';

/** At most this many messages per mailbox and poll (the next poll takes the rest). */
export const MAX_MESSAGES_PER_POLL = 50;

/** A poll holds the mailbox lease this long at most (a crashed instance blocks the mailbox no longer). */
export const POLL_LEASE_SECONDS = 300;

/** This process among the instances sharing the database (lease owner ids). */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export interface PollResult {
  mailbox: string;
  fetched: number;
  stored: number;
  alreadyKnown: number;
  moved: number;
  error?: string;
  /** Not polled: another reader holds the mailbox (e.g. the IMAP IDLE connection of an instance). */
  skipped?: string;
}

export interface PollHooks {
  /** Test hook: runs after the records are committed, before the message is flagged and moved. */
  afterCommit?: (uid: number) => void | Promise<void>;
  /** Checked before each message: true ends the poll early (shutdown); the rest waits for the next read. */
  stopRequested?: () => boolean;
}

export function passwordOf(mb: MailboxRow): string {
  if (mb.passwordEnv) {
    const p = process.env[mb.passwordEnv];
    if (p === undefined) throw new Error(`Umgebungsvariable ${mb.passwordEnv} für das Postfach ${mb.name} ist nicht gesetzt.`);
    return p;
  }
  return mb.password ?? '';
}

const messageIdOf = (raw: Buffer): string | null => {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1').split(/\r?\n\r?\n/, 1)[0] ?? '';
  const m = /^message-id:\s*(?:\r?\n[ \t]+)?(<[^>\r\n]+>|\S+)/im.exec(head);
  return m ? m[1]!.trim() : null;
};

/**
 * An (unconnected) IMAP client for a configured mailbox; `extra` adds options of the caller
 * (read timeout for a poll, IDLE timing for a watcher). imapflow is loaded on first use, not at start-up.
 */
export async function imapClient(mb: MailboxRow, extra: Partial<ImapFlowOptions>): Promise<ImapFlow> {
  const { ImapFlow } = await import('imapflow');
  return new ImapFlow({
    host: mb.host,
    port: mb.port,
    secure: mb.secure,
    auth: { user: mb.username, pass: passwordOf(mb) },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    ...extra,
  });
}

/**
 * Reads the unseen messages of one mailbox: each raw message is stored as a document (source `imap`,
 * attachments become documents of their own) and recorded by Message-ID; only after that commit is the
 * message flagged \Seen and moved to the processed folder (created if missing). A crash between commit
 * and flag leaves the message unseen; the next poll finds its key and only flags and moves it.
 */
export async function pollMailbox(ctx: AppContext, mb: MailboxRow, hooks: PollHooks = {}, actor: Actor = systemActor('mailroom-imap')): Promise<PollResult> {
  const result: PollResult = { mailbox: mb.name, fetched: 0, stored: 0, alreadyKnown: 0, moved: 0 };
  const client = await imapClient(mb, { socketTimeout: 60_000 });
  client.on('error', (err: Error) => ctx.log.warn({ mailbox: mb.name, err: err.message }, 'imap connection error'));
  await client.connect();
  try {
    // The folder is configured with "/" as separator; the server may use another (Maildir: ".").
    const want = mb.processedFolder.split('/').filter(Boolean);
    const list = await client.list();
    const found = list.find((f) => f.path.split(f.delimiter || '/').join('/') === want.join('/'));
    const processedPath = found ? found.path : (await client.mailboxCreate(want)).path;
    const lock = await client.getMailboxLock(mb.folder);
    try {
      const status = client.mailbox;
      const uidValidity = status ? Number(status.uidValidity) : null;
      const unseen = (await client.search({ seen: false }, { uid: true })) || [];
      // Messages taken earlier but not yet moved (flagged \Seen, then the connection dropped) – only
      // while the folder's UIDs are still the ones recorded.
      const pending = mb.uidValidity === uidValidity ? await listPendingImapUids(ctx.db, mb.id) : [];
      const uids = [...new Set([...unseen, ...pending])].sort((a, b) => a - b).slice(0, MAX_MESSAGES_PER_POLL);
      const pendingSet = new Set(pending);
      let lastUid = mb.uidValidity === uidValidity ? mb.lastUid : 0;
      for (const uid of uids) {
        if (hooks.stopRequested?.()) break;
        const msg = await client.fetchOne(String(uid), { source: true, uid: true }, { uid: true });
        if (!msg || !msg.source) {
          // A pending message no longer in the folder was moved (or removed) already: its document is committed.
          if (pendingSet.has(uid)) await markPendingImapUidDone(ctx.db, mb.id, uid, ctx.now());
          continue;
        }
        result.fetched++;
        const raw = msg.source;
        const sha256 = createHash('sha256').update(raw).digest('hex');
        const messageKey = messageIdOf(raw) ?? `sha256:${sha256}`;
        const known = await findImapMessage(ctx.db, messageKey);
        let rowId: number;
        if (known) {
          result.alreadyKnown++;
          rowId = known.id;
        } else {
          const doc = await ingestDocument(ctx, actor, { buffer: raw, filename: `mail-${mb.name}-${uid}.eml`, source: 'imap' }, { ocr: 'job' });
          const row = await ctx.db.transaction(async (tx) => {
            const r = await insertImapMessage(tx, { mailboxId: mb.id, messageKey, sha256, documentId: doc.duplicateOf && doc.sameFile ? doc.duplicateOf : doc.documentId, uid });
            await writeAudit(tx, { actor, action: 'mailroom.imap_take', objectType: 'document', objectId: String(r.documentId), summary: { mailboxId: mb.id, status: doc.status, sameFile: doc.sameFile } });
            return r;
          });
          rowId = row.id;
          if (doc.sameFile) result.alreadyKnown++;
          else result.stored++;
        }
        if (hooks.afterCommit) await hooks.afterCommit(uid);
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        const moved = await client.messageMove(String(uid), processedPath, { uid: true });
        if (!moved) throw new Error(`Nachricht ${uid} konnte nicht nach ${mb.processedFolder} verschoben werden.`);
        await markImapMessageDone(ctx.db, rowId, ctx.now());
        result.moved++;
        lastUid = Math.max(lastUid, uid);
      }
      await updateMailboxState(ctx.db, mb.id, { uidValidity, lastUid, lastPollAt: ctx.now(), lastError: null });
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}

/** Polls one mailbox; an error is recorded on the mailbox (`lastError`) and returned, not thrown. */
export async function pollMailboxRecorded(ctx: AppContext, mb: MailboxRow, hooks: PollHooks = {}): Promise<PollResult> {
  try {
    return await pollMailbox(ctx, mb, hooks);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await updateMailboxState(ctx.db, mb.id, { lastPollAt: ctx.now(), lastError: message.slice(0, 500) });
    ctx.log.warn({ mailbox: mb.name, err: message }, 'imap poll failed');
    return { mailbox: mb.name, fetched: 0, stored: 0, alreadyKnown: 0, moved: 0, error: message };
  }
}

/**
 * Polls every active mailbox; an error in one mailbox is recorded on it and does not stop the others.
 * Each poll holds the mailbox lease: a mailbox whose lease another reader holds (the IMAP IDLE
 * watcher of this or another instance, or a poll elsewhere) is skipped — it is being read already.
 */
export async function pollAllMailboxes(ctx: AppContext, hooks: PollHooks = {}): Promise<PollResult[]> {
  const out: PollResult[] = [];
  const owner = `poll:${INSTANCE_ID}`;
  for (const mb of await listMailboxes(ctx.db, true)) {
    if (!(await acquireMailboxLease(ctx.db, mb.id, owner, POLL_LEASE_SECONDS))) {
      out.push({ mailbox: mb.name, fetched: 0, stored: 0, alreadyKnown: 0, moved: 0, skipped: 'Das Postfach wird gerade von einem anderen Leser (IMAP IDLE) gelesen.' });
      continue;
    }
    try {
      out.push(await pollMailboxRecorded(ctx, mb, hooks));
    } finally {
      await releaseMailboxLease(ctx.db, mb.id, owner);
    }
  }
  return out;
}
