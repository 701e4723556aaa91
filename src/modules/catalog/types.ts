/** Public types of the catalog (re-exported from index.ts). */
export interface ServiceSummary {
  id: string;
  title: string;
  leika: string | null;
  url: string | null;
}

export interface ServiceLocation {
  id: string;
  name: string;
  address: string | null;
  openingHours: string | null;
}

export interface Service extends ServiceSummary {
  /** Plain text, sanitised. */
  description: string;
  /** Sanitised HTML (safe to render). */
  descriptionHtml: string;
  documents: string[];
  fees: string | null;
  processingTime: string | null;
  legalBasis: string | null;
  department: string | null;
  locations: ServiceLocation[];
  onlineUrl: string | null;
  bookable: boolean;
  /** Slugs of the life situations (Lebenslagen) the service belongs to. */
  lifeSituations: string[];
  keywords: string[];
  easyLanguage: string | null;
  /** Further languages of advice besides German (ISO 639-1 codes, e.g. "en", "tr"). */
  languages: string[];
  attribution: string | null;
  demo: boolean;
  status: 'draft' | 'published';
  updatedAt: string;
  /** Where fees and rules were checked (URLs). */
  sources: string[];
}

export interface SearchHit {
  service: ServiceSummary;
  /** Raw BM25F score (comparable only within one query). */
  score: number;
  /** 0..1; see docs/modules/catalog.md ("Konfidenz"). Below ~0.35 the evidence is weak. */
  confidence: number;
  /** Index terms (stemmed) of the query that matched this service. */
  matchedTerms: string[];
  /** Short text passages that contain matched terms, best first. */
  passages: { field: string; text: string }[];
}

export interface LifeSituation {
  slug: string;
  title: string;
  titleEn: string | null;
  intro: string;
  /** Published services in suggested order. */
  services: ServiceSummary[];
}

/** Fields staff may edit (draft → publish). */
export interface EditableService {
  title: string;
  leika: string | null;
  url: string | null;
  descriptionHtml: string;
  documents: string[];
  fees: string | null;
  processingTime: string | null;
  legalBasis: string | null;
  department: string | null;
  onlineUrl: string | null;
  bookable: boolean;
  keywords: string[];
  easyLanguage: string | null;
  /** ISO 639-1 codes; optional in drafts saved before the field existed. */
  languages?: string[];
}
