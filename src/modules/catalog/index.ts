/**
 * Service catalog (Leistungen, Standorte, Lebenslagen) and the German search over it.
 * The ONLY public entry of the module: other modules (assistant, appointments, …) import from here.
 */
import type { LotseModule } from '../../core/module.ts';
import { mountCatalogRoutes } from './routes.tsx';
import { seedDemoCatalog } from './seed-demo.ts';
import { EMBED_QUEUE, embeddingJobs } from './embeddings.ts';
import { catalogPrivacy } from './privacy.ts';

export type { EditableService, LifeSituation, SearchHit, Service, ServiceLocation, ServiceSummary } from './types.ts';
export { searchServices, getCatalogIndex, invalidateCatalogIndex, MAX_QUERY_CHARS } from './search-services.ts';
export { SEARCH_VERSION } from './search-index.ts';
export { getService, listServices, publicServiceUrl, withPublicUrl } from './get-service.ts';
export { importCatalog, readCatalogFile } from './import-catalog.ts';
export { getLifeSituation, listLifeSituations, nextSteps } from './life-situations.ts';
export { createService, discardServiceDraft, getServiceForEditing, listServicesForEditing, publishService, saveServiceDraft } from './edit-service.ts';
export { deleteSynonym, listSynonyms, saveSynonym, type SynonymEntry } from './manage-synonyms.ts';
export { lotseCatalogSchema } from './catalog-format.ts';
export { DEMO_CATALOG_FILE } from './seed-demo.ts';
export { embedCatalog, getEmbeddingStatus, EMBED_QUEUE, type EmbeddingStatus } from './embeddings.ts';
export { setRelatedServicesProvider, type RelatedServicesProvider } from './related-services.ts';

export const module: LotseModule = {
  name: 'catalog',
  privacy: catalogPrivacy,
  routes: mountCatalogRoutes,
  jobs: embeddingJobs,
  /** Service vectors for the optional hybrid search (a no-op without LOTSE_EMBEDDINGS_BASE_URL). */
  recurring: [{ queue: EMBED_QUEUE, everySeconds: 60 }],
  nav: {
    public: [
      { href: '/leistungen', label: 'Leistungen A–Z', labelEn: 'Services A–Z' },
      { href: '/lebenslagen', label: 'Lebenslagen', labelEn: 'Life situations' },
      { href: '/mein-northeim', label: 'Mein Northeim', labelEn: 'My Northeim' },
    ],
    staff: [{ href: '/verwaltung/katalog', label: 'Leistungskatalog', permission: 'catalog.read' }],
  },
  seedDemo: async (ctx) => {
    if (ctx.config.LOTSE_DEMO === 'on') await seedDemoCatalog(ctx);
  },
  aiSystems: [
    {
      id: 'catalog-search',
      name: 'Leistungssuche',
      purpose: 'Findet zu einer Suchanfrage in eigenen Worten die passenden Leistungen der Stadt.',
      technique:
        'BM25F-Suche mit deutscher Textanalyse (Stammformen, Umlaute, Komposita, Synonyme, Tippfehler); ohne LLM, ohne Lernen aus Nutzerdaten. Optional, nur wenn die Stadt ein eigenes Embedding-Modell betreibt: Bedeutungsähnlichkeit (Text-Embeddings) wird mit der BM25-Bewertung gewichtet kombiniert; Suchanfragen werden dafür an dieses Modell der Stadt geschickt, aber nicht gespeichert.',
      humanOversight: 'Die Stadt pflegt Leistungstexte und Synonyme; Ergebnisse sind Vorschläge, keine Entscheidungen.',
    },
  ],
};
