import type { LotseModule } from '../core/module.ts';
import { module as catalog } from './catalog/index.ts';
import { module as assistant } from './assistant/index.ts';
import { module as staff } from '../web/staff/index.ts';
import { module as ops } from '../web/ops/index.ts';
import { module as mailroom } from './mailroom/index.ts';
import { module as appointments } from './appointments/index.ts';
import { module as insights } from './insights/index.ts';
import { module as profile } from './profile/index.ts';

/**
 * The module registry: one line per module. Order = order in the navigation.
 * Each module exports `module` from its `index.ts`.
 */
export const modules: LotseModule[] = [catalog, assistant, appointments, mailroom, insights, profile, ops, staff /* core staff pages; keep last */];
