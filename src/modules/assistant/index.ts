/**
 * Citizen assistant: questions answered from the town's own service catalog, with sources,
 * refusals, follow-ups, feedback and human handover. The ONLY public entry of the module.
 */
import type { LotseModule } from '../../core/module.ts';

export { askQuestion, WEAK_EVIDENCE_THRESHOLD, type AskInput, type AskResult, type AskSource } from './ask-question.ts';
export { guardQuestion, CLASSIFIER_VERSION, MAX_QUESTION_CHARS, type RefusalReason } from './classify.ts';
export { redactPii } from './redact.ts';

export const module: LotseModule = {
  name: 'assistant',
};
