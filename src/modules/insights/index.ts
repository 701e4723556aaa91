/**
 * Insights: anonymous, aggregated co-use of services ("Andere erledigten auch").
 * Only pair counts per month are stored; shown only from 5 cases up. The ONLY public entry of the module.
 */
import type { LotseModule } from '../../core/module.ts';
import { setRelatedServicesProvider } from '../catalog/index.ts';
import { coUseSuggestions } from './co-use-suggestions.ts';
import { insightsJobs, insightsRecurring } from './jobs.ts';
import { mountInsightsRoutes } from './routes.tsx';
import { insightsPrivacy } from './privacy.ts';

export { recordCoUse, aggregateDay, aggregateRecentDays, AGGREGATION_VERSION } from './aggregate-co-use.ts';
export { coUseSuggestions, topServicePairs, type RelatedService, type ServicePair } from './co-use-suggestions.ts';
export { servicePairs, MIN_COUNT, WINDOW_MONTHS } from './pairs.ts';
export { AGGREGATE_QUEUE } from './jobs.ts';

export const module: LotseModule = {
  name: 'insights',
  privacy: insightsPrivacy,
  routes(app, api) {
    // "Andere erledigten auch" on the catalog's service pages (the catalog does not import insights).
    setRelatedServicesProvider((ctx, serviceId) => coUseSuggestions(ctx, serviceId));
    mountInsightsRoutes(app, api);
  },
  nav: { staff: [{ href: '/verwaltung/auswertung', label: 'Auswertung', permission: 'governance.read' }] },
  jobs: insightsJobs,
  recurring: insightsRecurring,
};
