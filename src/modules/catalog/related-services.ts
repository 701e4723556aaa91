import type { AppContext } from '../../core/context.ts';
import type { ServiceSummary } from './types.ts';

/**
 * Supplies the "Andere erledigten auch" list of a service page. Another module (insights) registers it
 * when the modules are wired, so the catalog does not import that module (no import cycle).
 */
export type RelatedServicesProvider = (ctx: AppContext, serviceId: string) => Promise<ServiceSummary[]>;

let provider: RelatedServicesProvider | null = null;

/** Sets (or with `null` removes) the provider; the last registration wins. */
export function setRelatedServicesProvider(p: RelatedServicesProvider | null): void {
  provider = p;
}

/** Services used together with `serviceId`; empty without a provider. */
export async function relatedServices(ctx: AppContext, serviceId: string): Promise<ServiceSummary[]> {
  return provider ? provider(ctx, serviceId) : [];
}
