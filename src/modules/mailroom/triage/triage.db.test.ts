import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../../core/auth/actor.ts';
import type { AppContext } from '../../../core/context.ts';
import { AppError } from '../../../core/errors.ts';
import { createTestContext } from '../../../../test/helpers/context.ts';
import { activateModel, classifyBatch, classifyText, exportTrainingData, listTriageModels, recordCorrection, trainModel } from './index.ts';
import { syntheticRows } from './fixtures.ts';
import { retrainJob } from './jobs.ts';
import { parseJsonLines, trainingLineSchema } from './rows.ts';
import { TRAINING_RECIPE } from '../../../ml/text-classifier.ts';
import { setSetting } from '../../../core/settings/index.ts';
import { TRIAGE_CATEGORIES_SETTING } from './seeds.ts';

describe('triage model registry', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.database.close());

  it('trains, stores figures, classifies, rolls back', async () => {
    const rows = syntheticRows();
    const v1 = await trainModel(ctx, cliActor, { name: 'reports', rows });
    expect(v1).toMatchObject({ name: 'reports', version: 1, active: true, categories: ['abfall', 'laerm', 'parken'] });
    expect(v1.figures.heldOutRows).toBe(30);
    expect(v1.figures.accuracy).toBeGreaterThan(0.9);

    const [p] = await classifyBatch(ctx, [{ subject: null, text: 'Falschparker auf dem Gehweg' }], 'reports');
    expect(p!.top[0]!.category).toBe('parken');
    expect(p!.model).toEqual({ name: 'reports', version: 1 });
    expect(p!.abstained).toBe(p!.category === null);

    // A second version trained with a different target becomes active …
    const v2 = await trainModel(ctx, cliActor, { name: 'reports', rows: rows.slice(0, 120), targetPrecision: 0.99 });
    expect(v2.version).toBe(2);
    expect((await classifyText(ctx, { text: 'laute Musik' }, 'reports')).model.version).toBe(2);

    // … and rollback to v1 works.
    expect(await activateModel(ctx, cliActor, { name: 'reports', version: 1 })).toEqual({ name: 'reports', version: 1, previous: 2 });
    expect((await classifyText(ctx, { text: 'laute Musik' }, 'reports')).model.version).toBe(1);
    const models = await listTriageModels(ctx, 'reports');
    expect(models.map((m) => [m.version, m.active])).toEqual([
      [2, false],
      [1, true],
    ]);
    expect(models[1]!.figures).toMatchObject({ heldOutRows: 30, targetPrecision: 0.95 });

    await expect(activateModel(ctx, cliActor, { name: 'reports', version: 9 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(classifyText(ctx, { text: 'x' }, 'unbekannt')).rejects.toBeInstanceOf(AppError);
    const audit = await ctx.database.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE object_type = 'triage_model' ORDER BY seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(['triage_model.train', 'triage_model.train', 'triage_model.activate']);
  });

  it('rejects bad training input', async () => {
    await expect(trainModel(ctx, cliActor, { name: 'x', rows: syntheticRows(5) })).rejects.toMatchObject({ code: 'validation' });
    await expect(trainModel(ctx, cliActor, { name: 'Böse Name', rows: syntheticRows() })).rejects.toMatchObject({ code: 'validation' });
    const one = syntheticRows(30).map((r) => ({ ...r, category: 'a' }));
    await expect(trainModel(ctx, cliActor, { name: 'x', rows: one })).rejects.toMatchObject({ code: 'validation' });
    await expect(trainModel(ctx, { type: 'citizen' }, { name: 'x', rows: syntheticRows() })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('stores corrections, retrains as a job and exports with PII masked', async () => {
    await trainModel(ctx, cliActor, { name: 'mail', rows: syntheticRows(), storeExamples: true });
    await recordCorrection(ctx, cliActor, {
      modelName: 'mail',
      text: 'Herr Klaus Meyer parkt vor Mühlenstraße 3 im Halteverbot',
      category: 'parken',
      retrain: true,
    });
    const jobs = await ctx.database.query<{ queue: string }>(`SELECT queue FROM jobs WHERE queue = 'mailroom.triage-retrain'`);
    expect(jobs).toHaveLength(1);
    await retrainJob(ctx, { modelName: 'mail' });
    const models = await listTriageModels(ctx, 'mail');
    expect(models[0]).toMatchObject({ version: 2, active: true, trainingRows: 151 });
    const exported = await exportTrainingData(ctx, cliActor, 'mail');
    const corr = exported.find((e) => e.source === 'correction')!;
    expect(corr.text).toBe('Herr [NAME] parkt vor [ADRESSE] im Halteverbot');
  });

  it('accepts an optional fine label per training line and uses it only for training', async () => {
    const lines = syntheticRows().map((r, i) =>
      JSON.stringify({ ...r, detail: r.category === 'abfall' ? (i % 2 ? 'Sperrmüll' : 'Hausmüll') : null }),
    );
    const rows = parseJsonLines(lines.join('\n'), trainingLineSchema, 'train.jsonl');
    expect(rows[0]).toHaveProperty('detail');
    const fine = await trainModel(ctx, cliActor, { name: 'fine', rows });
    const plain = await trainModel(ctx, cliActor, { name: 'plain', rows: rows.map(({ detail: _d, ...r }) => r) });
    expect(fine.figures.recipe).toBe(TRAINING_RECIPE);
    const [a] = await classifyBatch(ctx, [{ subject: null, text: 'Sperrmüll an der Ecke' }], 'fine');
    const [b] = await classifyBatch(ctx, [{ subject: null, text: 'Sperrmüll an der Ecke' }], 'plain');
    expect(a!.top[0]!.category).toBe('abfall');
    expect(b!.top[0]!.category).toBe('abfall');
    // The fine labels changed the term weights, hence the scores.
    expect(a!.confidence).not.toBe(b!.confidence);
    expect(plain.figures.recipe).toBe(TRAINING_RECIPE);
  });

  it('explains a classification on request and uses the optional district', async () => {
    const rows = syntheticRows().map((r) => ({ ...r, district: r.category === 'laerm' ? 'Nordstadt' : 'Altstadt' }));
    await trainModel(ctx, cliActor, { name: 'why', rows });
    const plain = await classifyText(ctx, { text: 'Falschparker auf dem Gehweg' }, 'why');
    expect(plain.why).toBeUndefined();
    const r = await classifyText(ctx, { text: 'Falschparker auf dem Gehweg', district: 'Altstadt' }, 'why', { explain: true });
    expect(r.why!.category).toBe(r.top[0]!.category);
    expect(r.why!.category).toBe('parken');
    expect(r.why!.features.length).toBeGreaterThan(0);
    expect(r.why!.features.some((f) => f.kind === 'word' || f.kind === 'phrase')).toBe(true);
    for (const f of r.why!.features) expect(f.weight).toBeGreaterThan(0);
    const [b] = await classifyBatch(ctx, [{ subject: null, text: 'laute Musik', district: 'Nordstadt' }], 'why', { explain: true });
    expect(b!.why!.features.map((f) => f.feature)).toContain('district: Nordstadt');
  });

  it('builds seeds from category descriptions (input, else the town setting) and portal subjects', async () => {
    const subjects = {
      laerm: ['Lärm - Gaststätte', 'Lärm - Musik'],
      abfall: ['Müll - Sperrmüll', 'Müll - Hausmüll'],
      parken: ['Parken - Gehweg', 'Frei formuliert'],
    } as Record<string, string[]>;
    const rows = syntheticRows().map((r, i) => ({ ...r, detail: subjects[r.category]![i % 2] }));
    const groups = {
      laerm: { label: 'Lärm', description: 'Gaststättenlärm, Musik' },
      unbekannt: { label: 'Unbekannt', description: 'gar nicht da' },
    };
    const a = await trainModel(ctx, cliActor, { name: 'seeded', rows, categoryDescriptions: groups });
    expect(a.seeds).toEqual({ descriptions: 3, descriptionSource: 'input', subjects: 4, extra: 0 });
    const stored = (await listTriageModels(ctx, 'seeded'))[0]!;
    expect((stored.figures as { seeds?: unknown }).seeds).toEqual(a.seeds);

    const b = await trainModel(ctx, cliActor, {
      name: 'seeded',
      rows,
      subjectSeeds: false,
      seedRows: [{ subject: null, text: 'Knöllchen', category: 'parken' }],
    });
    expect(b.seeds).toEqual({ descriptions: 0, descriptionSource: 'none', subjects: 0, extra: 1 });

    await ctx.db.transaction((tx) => setSetting(tx, TRIAGE_CATEGORIES_SETTING, { groups }, null));
    const c = await trainModel(ctx, cliActor, { name: 'seeded', rows });
    expect(c.seeds).toMatchObject({ descriptions: 3, descriptionSource: 'setting', subjects: 4 });
    const d = await trainModel(ctx, cliActor, { name: 'seeded', rows, categoryDescriptions: null });
    expect(d.seeds).toMatchObject({ descriptions: 0, descriptionSource: 'none' });
    await ctx.db.transaction((tx) => setSetting(tx, TRIAGE_CATEGORIES_SETTING, { kaputt: true }, null));
    expect((await trainModel(ctx, cliActor, { name: 'seeded', rows })).seeds.descriptionSource).toBe('none');
  });
});
