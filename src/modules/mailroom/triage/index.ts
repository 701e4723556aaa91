/** Triage (text classification with abstention) – public surface for the mailroom module. */
export { classifyBatch, classifyText, loadActiveModel, type ClassifyOptions, type TextClassification } from './classify-text.ts';
export type { Contribution, Explanation } from '../../../ml/text-classifier.ts';
export { trainModel, modelNameSchema, type TrainModelInput, type TrainModelResult, type SeedCounts } from './train-model.ts';
export { parseCategoryDescriptions, descriptionSeeds, portalSubjectSeeds, TRIAGE_CATEGORIES_SETTING, type CategoryDescriptions, type SeedRow } from './seeds.ts';
export { activateModel } from './activate-model.ts';
export { listTriageModels, type ModelSummary } from './list-models.ts';
export { exportTrainingData } from './export-training-data.ts';
export { recordCorrection } from './record-correction.ts';
export { triageJobs } from './jobs.ts';
export { parseJsonLines, trainingLineSchema, batchLineSchema, seedLineSchema } from './rows.ts';
export { TRIAGE_AI_SYSTEMS } from './ai-systems.ts';
