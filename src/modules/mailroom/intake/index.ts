/** Intake channels (IMAP, watched folder, upload) and retention – public surface for the mailroom module. */
export { pollAllMailboxes, pollMailbox, type PollResult } from './imap-poll.ts';
export { imapIdleService, imapIdleServices, stopImapIdle, type WatcherStatus } from './imap-idle.ts';
export { scanInboxFolder, type FolderScanResult } from './scan-folder.ts';
export { applyRetention, setRetentionDays, RETENTION_SETTING, DEFAULT_RETENTION_DAYS } from './apply-retention.ts';
export { configureMailbox, setMailboxActive, listMailboxSummaries, mailboxInputSchema, type MailboxSummary } from './configure-mailbox.ts';
export { uploadDocuments } from './upload-documents.ts';
export { intakeJobs, intakeRecurring, IMAP_POLL_SECONDS, FOLDER_SCAN_SECONDS } from './jobs.ts';
