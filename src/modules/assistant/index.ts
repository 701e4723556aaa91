/**
 * Citizen assistant: questions answered from the town's own service catalog, with sources,
 * refusals, follow-ups, feedback and human handover. The ONLY public entry of the module.
 */
import type { LotseModule } from '../../core/module.ts';
import { mountAssistantRoutes } from './routes.tsx';
import { assistantPrivacy } from './privacy.ts';

export { askQuestion, WEAK_EVIDENCE_THRESHOLD, type AskInput, type AskResult, type AskSource } from './ask-question.ts';
export { guardQuestion, CLASSIFIER_VERSION, MAX_QUESTION_CHARS, type RefusalReason } from './classify.ts';
export { redactPii } from './redact.ts';
export { recordFeedback } from './record-feedback.ts';
export { requestHandover } from './request-handover.ts';
export { getReviewOverview, completeHandover, markReviewed, addSynonymFromReview } from './review-questions.ts';

export const module: LotseModule = {
  name: 'assistant',
  privacy: assistantPrivacy,
  routes: mountAssistantRoutes,
  nav: {
    public: [{ href: '/assistent', label: 'Fragen an den Assistenten', labelEn: 'Ask the assistant' }],
    staff: [{ href: '/verwaltung/assistent', label: 'Assistent: Durchsicht', permission: 'assistant.review' }],
  },
  aiSystems: [
    {
      id: 'assistant',
      name: 'Lotse-Assistent (Bürger-Chat)',
      purpose:
        'Beantwortet Fragen zu Leistungen der Stadt aus den veröffentlichten Leistungsbeschreibungen, nennt immer die Quellen und lehnt ab, wenn die Frage außerhalb des Auftrags liegt oder die Belege zu schwach sind.',
      technique:
        'Regelbasierte Eingangsprüfung (Themen, Manipulationsversuche), BM25F-Suche im Leistungskatalog, Antwort aus Textbausteinen; optional Formulierung durch ein Sprachmodell, jeder Satz wird gegen die Quellen geprüft',
      humanOversight:
        'Keine Entscheidungen über Anträge. Die Verwaltung sieht abgelehnte, unsichere und schlecht bewertete Fragen und verbessert Texte und Synonyme; Bürgerinnen und Bürger können jederzeit einen Menschen erreichen.',
    },
  ],
};
