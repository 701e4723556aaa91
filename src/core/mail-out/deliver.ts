import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { AppContext } from '../context.ts';
import { execRows } from '../db/index.ts';
import { PermanentJobError } from '../jobs/index.ts';
import { backoffMs, type JobRunInfo } from '../jobs/worker.ts';
import { maskEmailsInText } from './mask.ts';
import { cleanMessageId, cleanReferences } from './threading.ts';

/**
 * The Message-ID (without angle brackets) an outbox mail is sent with: derived from its id and the
 * sender's domain, so it needs no column; modules record it to recognise replies (`In-Reply-To`).
 */
export function outboxMessageId(mailFrom: string, outboxId: string): string {
  const domain = mailFrom.match(/@([^>\s]+)/)?.[1] ?? 'lotse.invalid';
  return `outbox-${outboxId}@${domain}`;
}

interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attachments: { filename: string; contentType: string; contentBase64: string }[] | string;
  in_reply_to: string | null;
  reference_ids: string[] | string | null;
  status: string;
  created_at: Date | string;
}

const transports = new Map<string, Transporter>();

/** SMTP options from `LOTSE_SMTP_URL` (smtp://user:pass@host:port?ignoreTLS=true) with short timeouts. */
export function smtpOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  const extra = Object.fromEntries([...u.searchParams].map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v]));
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    ...(u.port ? { port: Number(u.port) } : {}),
    secure: u.protocol === 'smtps:',
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...extra,
  };
}

// nodemailer is loaded on first delivery, not at start (start-up time, see BENCHMARKS.md).
const loadNodemailer = async () => (await import('nodemailer')).default;

async function smtpTransport(url: string): Promise<Transporter> {
  let t = transports.get(url);
  if (!t) {
    t = (await loadNodemailer()).createTransport(smtpOptions(url));
    transports.set(url, t);
  }
  return t;
}

let fileTransport: Transporter | undefined;
async function getFileTransport(): Promise<Transporter> {
  return (fileTransport ??= (await loadNodemailer()).createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
}

/** Delivery outcome for tests and logs. */
export type DeliveryResult = 'sent' | 'already-sent' | 'missing';

/**
 * The `mail.send` job: delivers one outbox mail.
 * - With `LOTSE_SMTP_URL`: over SMTP. A 5xx answer is permanent (dead letter at once), anything
 *   else (4xx, connection refused, timeout) is retried with the job backoff; after the last attempt
 *   the mail is `dead`.
 * - Without it: the complete message is written as `LOTSE_DATA_DIR/outbox/<time>-<id>.eml`
 *   (transport `file`), so a demo or test installation shows what would have been sent.
 * At-least-once: if the process dies between the SMTP "250 OK" and the status update, the mail
 * is sent again (same Message-ID, so mail clients can de-duplicate).
 */
export async function deliverOutboxMail(ctx: AppContext, outboxId: string, job?: JobRunInfo): Promise<DeliveryResult> {
  const [row] = await execRows<OutboxRow>(
    ctx.db,
    sql`SELECT id, to_address, subject, text_body, html_body, attachments, in_reply_to, reference_ids, status, created_at FROM outbox WHERE id = ${outboxId}`,
  );
  if (!row) return 'missing';
  if (row.status === 'sent') return 'already-sent';
  const attachments = (typeof row.attachments === 'string' ? JSON.parse(row.attachments) : row.attachments) as Exclude<OutboxRow['attachments'], string>;
  // Stored already cleaned (queueMail); cleaned again so a hand-edited row cannot inject a header.
  const inReplyTo = cleanMessageId(row.in_reply_to);
  const references = cleanReferences((typeof row.reference_ids === 'string' ? JSON.parse(row.reference_ids) : row.reference_ids) ?? []);
  const message = {
    from: ctx.config.LOTSE_MAIL_FROM,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    ...(row.html_body ? { html: row.html_body } : {}),
    messageId: `<${outboxMessageId(ctx.config.LOTSE_MAIL_FROM, row.id)}>`,
    date: new Date(row.created_at),
    ...(inReplyTo ? { inReplyTo: `<${inReplyTo}>` } : {}),
    ...(references.length ? { references: references.map((r) => `<${r}>`) } : {}),
    attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })),
  };
  const url = ctx.config.LOTSE_SMTP_URL;
  try {
    if (url) {
      await (await smtpTransport(url)).sendMail(message);
    } else {
      const info = (await (await getFileTransport()).sendMail(message)) as unknown as { message: Buffer };
      const dir = join(ctx.config.dataDir, 'outbox');
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const file = join(dir, `${stamp}-${row.id}.eml`);
      writeFileSync(`${file}.tmp`, info.message);
      renameSync(`${file}.tmp`, file);
    }
  } catch (e) {
    const err = e as Error & { responseCode?: number; code?: string };
    const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600;
    const dead = permanent || !job || job.lastAttempt;
    // SMTP answers often quote the recipient: mask addresses before storing or logging.
    const reason = maskEmailsInText(`${err.responseCode ? `SMTP ${err.responseCode}: ` : ''}${err.message}`).slice(0, 1000);
    const attempt = job?.attempt ?? 1;
    await ctx.db.execute(sql`
      UPDATE outbox SET status = ${dead ? 'dead' : 'queued'}, attempts = attempts + 1, last_error = ${reason},
        next_attempt_at = ${dead ? sql`next_attempt_at` : sql`now() + make_interval(secs => ${backoffMs(attempt) / 1000})`}
      WHERE id = ${row.id} AND status <> 'sent'`);
    throw permanent ? new PermanentJobError(reason) : new Error(reason);
  }
  await ctx.db.execute(sql`
    UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL, transport = ${url ? 'smtp' : 'file'}
    WHERE id = ${row.id}`);
  return 'sent';
}
