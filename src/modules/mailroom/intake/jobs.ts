import type { JobHandler, RecurringSpec } from '../../../core/module.ts';
import { applyRetention } from './apply-retention.ts';
import { pollAllMailboxes } from './imap-poll.ts';
import { scanInboxFolder } from './scan-folder.ts';

/** Seconds between IMAP polls and between scans of the watched folder. */
export const IMAP_POLL_SECONDS = 60;
export const FOLDER_SCAN_SECONDS = 15;

/** Kept scheduled by the core worker (`LotseModule.recurring`): one pending run per queue, across instances. */
export const intakeRecurring: RecurringSpec[] = [
  { queue: 'mailroom.imap-poll', everySeconds: IMAP_POLL_SECONDS },
  { queue: 'mailroom.inbox-scan', everySeconds: FOLDER_SCAN_SECONDS },
  { queue: 'mailroom.retention', dailyAt: '03:30' },
];

export const intakeJobs: Record<string, JobHandler> = {
  /**
   * No active mailbox: one cheap query. Mailboxes leased by an IDLE watcher (module service
   * `mailroom.imap-idle`, see `imap-idle.ts`) are skipped: their watcher reads them.
   */
  'mailroom.imap-poll': async (ctx) => {
    await pollAllMailboxes(ctx);
  },
  /** Off unless LOTSE_INBOX_DIR is set. */
  'mailroom.inbox-scan': async (ctx) => {
    if (ctx.config.LOTSE_INBOX_DIR) await scanInboxFolder(ctx, ctx.config.LOTSE_INBOX_DIR);
  },
  'mailroom.retention': async (ctx) => {
    await applyRetention(ctx);
  },
};
