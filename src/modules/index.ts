import type { LotseModule } from '../core/module.ts';
import { module as mailroom } from './mailroom/index.ts';

/**
 * The module registry: one line per module. Order = order in the navigation.
 * Each module exports `module` from its `index.ts`.
 */
export const modules: LotseModule[] = [mailroom];
