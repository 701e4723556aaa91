import type { Command } from 'commander';
import * as ask from './ask.ts';
import * as audit from './audit.ts';
import * as backup from './backup.ts';
import * as catalog from './catalog.ts';
import * as documents from './documents.ts';
import * as embeddings from './embeddings.ts';
import * as invoice from './invoice.ts';
import * as mail from './mail.ts';
import * as mailroom from './mailroom.ts';
import * as migrate from './migrate.ts';
import * as restore from './restore.ts';
import * as serve from './serve.ts';
import * as triage from './triage.ts';
import * as users from './users.ts';

/** One file per command; add the new file here. */
export const commands: { register(program: Command): void }[] = [serve, migrate, audit, backup, restore, catalog, triage, mail, users, ask, invoice, documents, mailroom, embeddings];
