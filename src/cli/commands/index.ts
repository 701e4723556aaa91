import type { Command } from 'commander';
import * as audit from './audit.ts';
import * as migrate from './migrate.ts';
import * as serve from './serve.ts';

/** One file per command; add the new file here. */
export const commands: { register(program: Command): void }[] = [serve, migrate, audit];
