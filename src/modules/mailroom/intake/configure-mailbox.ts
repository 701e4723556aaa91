import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { AppError, validationError } from '../../../core/errors.ts';
import { runRecurringSoon } from '../../../core/jobs/schedule.ts';
import { listMailboxes, setMailboxActiveRow, upsertMailbox } from './repository.ts';

export const mailboxInputSchema = z
  .object({
    name: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'Name: Kleinbuchstaben, Ziffern, Punkt, Bindestrich (z. B. poststelle)'),
    host: z.string().trim().min(1, 'Server fehlt').max(253),
    port: z.coerce.number().int().min(1).max(65535).default(993),
    /** true: implicit TLS (993); false: plain connection upgraded with STARTTLS when offered. */
    secure: z.boolean().default(true),
    username: z.string().trim().min(1, 'Benutzername fehlt').max(320),
    /** Name of the environment variable holding the password (preferred). */
    passwordEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]{0,79}$/, 'Name einer Umgebungsvariablen, z. B. LOTSE_IMAP_POSTSTELLE_PASSWORD')
      .nullable()
      .default(null),
    /** Stored password (only if no environment variable can be used; kept in the database as is). */
    password: z.string().max(500).nullable().default(null),
    folder: z.string().trim().min(1).max(200).default('INBOX'),
    processedFolder: z.string().trim().min(1).max(200).default('Lotse/Verarbeitet'),
    active: z.boolean().default(true),
  })
  .refine((v) => v.passwordEnv || v.password, { message: 'Passwort: Umgebungsvariable (passwordEnv) oder Passwort angeben', path: ['passwordEnv'] });

export interface MailboxSummary {
  id: number;
  name: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  passwordSource: 'env' | 'stored';
  passwordEnv: string | null;
  folder: string;
  processedFolder: string;
  active: boolean;
  lastUid: number;
  lastPollAt: string | null;
  lastError: string | null;
  /** How the mailbox is read now: `idle` (an instance holds an IMAP IDLE connection), `poll` (a poll is running) or null (waiting for the next poll). */
  readBy: 'idle' | 'poll' | null;
  /** Whether the server offered IDLE (null: not tried yet). */
  idleSupported: boolean | null;
}

/** Adds or updates (by name) an IMAP mailbox and queues a first poll. Permission `mailroom.configure`; audited without the password. */
export async function configureMailbox(ctx: AppContext, actor: Actor, input: z.input<typeof mailboxInputSchema>): Promise<MailboxSummary> {
  assertCan(actor, 'mailroom.configure');
  const parsed = mailboxInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  const row = await ctx.db.transaction(async (tx) => {
    const r = await upsertMailbox(tx, v);
    await runRecurringSoon(tx, 'mailroom.imap-poll', ctx.now());
    await writeAudit(tx, { actor, action: 'mailroom.mailbox_configure', objectType: 'mailbox', objectId: String(r.id), summary: { name: r.name, active: r.active, passwordSource: r.passwordEnv ? 'env' : 'stored' } });
    return r;
  });
  return summarize(row);
}

const summarize = (r: Awaited<ReturnType<typeof upsertMailbox>>): MailboxSummary => ({
  id: r.id,
  name: r.name,
  host: r.host,
  port: r.port,
  secure: r.secure,
  username: r.username,
  passwordSource: r.passwordEnv ? 'env' : 'stored',
  passwordEnv: r.passwordEnv,
  folder: r.folder,
  processedFolder: r.processedFolder,
  active: r.active,
  lastUid: r.lastUid,
  lastPollAt: r.lastPollAt ? r.lastPollAt.toISOString() : null,
  lastError: r.lastError,
  readBy: r.leaseOwner && r.leaseUntil && r.leaseUntil.getTime() > Date.now() ? (r.leaseOwner.startsWith('idle:') ? 'idle' : 'poll') : null,
  idleSupported: r.idleSupported,
});

/** The configured mailboxes with their poll state (never the password). */
export async function listMailboxSummaries(ctx: AppContext, actor: Actor): Promise<MailboxSummary[]> {
  assertCan(actor, 'mailroom.configure');
  return (await listMailboxes(ctx.db)).map(summarize);
}

/**
 * Switches a mailbox off (no more polls; its state and keys stay) or on again (queues a poll soon).
 * Permission `mailroom.configure`; audited. @throws AppError('not_found')
 */
export async function setMailboxActive(ctx: AppContext, actor: Actor, id: number, active: boolean): Promise<MailboxSummary> {
  assertCan(actor, 'mailroom.configure');
  const row = await ctx.db.transaction(async (tx) => {
    const r = Number.isSafeInteger(id) && id > 0 ? await setMailboxActiveRow(tx, id, active) : null;
    if (!r) throw new AppError('not_found', 'Das Postfach wurde nicht gefunden.');
    if (active) await runRecurringSoon(tx, 'mailroom.imap-poll', ctx.now());
    await writeAudit(tx, { actor, action: active ? 'mailroom.mailbox_enable' : 'mailroom.mailbox_disable', objectType: 'mailbox', objectId: String(id), summary: { name: r.name } });
    return r;
  });
  return summarize(row);
}
