import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../../core/auth/actor.ts';
import type { AppContext } from '../../core/context.ts';
import { readCatalogFile, storeCatalog } from './import-catalog.ts';
import { countServices } from './repository.ts';

export const DEMO_CATALOG_FILE = join(dirname(fileURLToPath(import.meta.url)), 'seed', 'northeim-services.json');

/**
 * Loads the curated starter catalog of the demo town (Beispieldaten) when the catalog is
 * empty. Idempotent: a catalog that has any service (demo or imported) is left alone.
 */
export async function seedDemoCatalog(ctx: AppContext): Promise<void> {
  if (!existsSync(DEMO_CATALOG_FILE)) return;
  if ((await countServices(ctx.db)) > 0) return;
  const cat = readCatalogFile(DEMO_CATALOG_FILE);
  await storeCatalog(ctx, systemActor('catalog-seed'), cat, { replace: false, action: 'seed' });
  ctx.log.info({ services: cat.services.length }, 'demo catalog loaded');
}
