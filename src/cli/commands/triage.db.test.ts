import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../../../test/helpers/context.ts';
import { syntheticRows } from '../../modules/mailroom/triage/fixtures.ts';

// Each spawn starts Node + tsx + PGlite (several seconds on a busy machine), hence the long timeouts.
// The CLI against a fresh PGlite data directory: exit codes and the JSON contract of interfaces.md.
describe.skipIf(testDbKind() === 'postgres')('lotse triage', () => {
  let dir: string;
  const lotse = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/lotse.mjs', ...args], {
      env: { ...process.env, LOTSE_DATA_DIR: join(dir, 'data'), LOTSE_LOG_LEVEL: 'silent', DATABASE_URL: '' },
      encoding: 'utf8',
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lotse-triage-cli-'));
    writeFileSync(
      join(dir, 'train.jsonl'),
      syntheticRows()
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    writeFileSync(
      join(dir, 'batch.jsonl'),
      [
        { id: 'a', subject: null, text: 'Sperrmüll an der Ecke' },
        { id: 'b', subject: 'Lärm', text: 'laute Musik nachts' },
        { id: 'c', subject: null, text: ' ' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    writeFileSync(join(dir, 'bad.jsonl'), '{"id":"x","subject":null,"text":"ok","category":"a"}\n{"id":"y","subject":null}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('train → batch → models → activate, with documented exit codes', () => {
    const t = lotse('triage', 'train', join(dir, 'train.jsonl'), '--model', 'reports');
    expect(t.status, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/Version 1 gespeichert und aktiviert/);
    expect(t.stderr).toMatch(/Makro-F1/);

    const b = lotse('triage', '--batch', join(dir, 'batch.jsonl'), '--model', 'reports', '--json');
    expect(b.status, b.stderr).toBe(0);
    const lines = b.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['abstained', 'category', 'confidence', 'id', 'top']);
      expect(typeof l.confidence).toBe('number');
      expect(l.top).toHaveLength(3);
      expect(l.abstained).toBe(l.category === null);
    }
    // Default: every message with text gets its best category; an empty text abstains.
    expect(lines.map((l) => [l.category, l.abstained])).toEqual([
      ['abfall', false],
      ['laerm', false],
      [null, true],
    ]);
    expect(lines[0].confidence).toBe(lines[0].top[0].score);
    expect(b.stderr).toMatch(/Modus alles zuordnen/);
    expect(b.stderr).toMatch(/mit den Schwellen des Modells \(--abstain, Mailroom\) würden automatisch zugeordnet \d+/);

    // --abstain: the model's per-category thresholds, as the mailroom routing; same ranking and confidence.
    const ab = lotse('triage', '--batch', join(dir, 'batch.jsonl'), '--model', 'reports', '--abstain', '--json');
    expect(ab.status, ab.stderr).toBe(0);
    expect(ab.stderr).toMatch(/Modus --abstain/);
    const abLines = ab.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    abLines.forEach((l, i) => {
      expect(Object.keys(l).sort()).toEqual(['abstained', 'category', 'confidence', 'id', 'top']);
      expect(l.abstained).toBe(l.category === null);
      expect(l.top).toEqual(lines[i].top);
      if (!l.abstained) expect(l.category).toBe(lines[i].category);
    });
    const routed = abLines.filter((l) => !l.abstained).length;
    expect(b.stderr).toContain(`würden automatisch zugeordnet ${routed} `);

    expect(lotse('triage', 'train', join(dir, 'train.jsonl'), '--model', 'reports').status).toBe(0);
    const m = lotse('triage', 'models', '--json');
    expect(m.status).toBe(0);
    expect(
      m.stdout
        .trim()
        .split('\n')
        .map((l) => [JSON.parse(l).version, JSON.parse(l).active]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(lotse('triage', 'activate', 'reports', '1').status).toBe(0);
    expect(lotse('triage', 'models', '--model', 'reports').stdout).toMatch(/^\* reports\tv1/m);
  }, 300_000);

  it('bad input exits 2 and names file, line and field', () => {
    const r = lotse('triage', 'train', join(dir, 'bad.jsonl'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.jsonl:2');
    expect(r.stderr).toContain('text');
    expect(lotse('triage', '--batch', join(dir, 'missing.jsonl'), '--json').status).toBe(2);
    expect(lotse('triage', 'activate', 'reports', '99').status).toBe(2);
    expect(lotse('triage', '--batch', join(dir, 'batch.jsonl'), '--model', 'nichtda', '--json').status).toBe(2);
    // An empty file and a JSON syntax error: German, with the file name (and line/column).
    writeFileSync(join(dir, 'empty.jsonl'), '');
    const empty = lotse('triage', 'train', join(dir, 'empty.jsonl'));
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('empty.jsonl: mindestens 10 Beispiele nötig, gefunden 0');
    writeFileSync(join(dir, 'syntax.jsonl'), '{"id":"x","text":"ok" "category":"a"}\n');
    const syntax = lotse('triage', 'train', join(dir, 'syntax.jsonl'));
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toContain('syntax.jsonl: ungültiges JSON in Zeile 1, Spalte 23');
    expect(syntax.stderr).not.toMatch(/invalid JSON|Expected/);
  }, 300_000);

  it('train seeds from categories.json beside the file and from the portal subjects by default', () => {
    const subjects: Record<string, string[]> = {
      laerm: ['Lärm - Gaststätte', 'Lärm - Musik'],
      abfall: ['Müll - Sperrmüll', 'Müll - Hausmüll'],
      parken: ['Parken - Gehweg', 'Parken - Einfahrt'],
    };
    // Lines as in the reports data: extra fields (detail, district, date) beside {id, subject, text, category}.
    const lines = syntheticRows().map((r, i) =>
      JSON.stringify({ ...r, detail: subjects[r.category]![i % 2], district: 'Mitte', date: '2026-01-01' }),
    );
    const withCats = join(dir, 'mit-kategorien');
    const without = join(dir, 'ohne-kategorien');
    mkdirSync(withCats);
    mkdirSync(without);
    for (const d of [withCats, without]) writeFileSync(join(d, 'train80.jsonl'), lines.join('\n') + '\n');
    const categories = {
      groups: {
        laerm: { label: 'Lärm', description: 'Gaststättenlärm, Musik' },
        fremd: { label: 'Fremd', description: 'nicht im Training' },
      },
    };
    writeFileSync(join(withCats, 'categories.json'), JSON.stringify(categories));
    const seedsOf = (r: ReturnType<typeof lotse>) => {
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout).seeds;
    };

    const plain = lotse('triage', 'train', join(withCats, 'train80.jsonl'), '--model', 'seeds', '--json');
    expect(seedsOf(plain)).toEqual({ descriptions: 3, descriptionSource: 'input', subjects: 6, extra: 0 });
    expect(plain.stderr).toContain(`Kategoriebeschreibungen aus ${join(withCats, 'categories.json')} (neben der Trainingsdatei)`);
    expect(plain.stderr).toMatch(/Saat-Beispiele .*: 3 aus Kategoriebeschreibungen .*, 6 aus der Portal-Betreffliste/);
    // The stored model records the seeds.
    const m = lotse('triage', 'models', '--model', 'seeds', '--json');
    expect(JSON.parse(m.stdout.trim().split('\n')[0]!).figures.seeds).toEqual({
      descriptions: 3,
      descriptionSource: 'input',
      subjects: 6,
      extra: 0,
    });

    expect(
      seedsOf(lotse('triage', 'train', join(withCats, 'train80.jsonl'), '--model', 'seeds', '--no-subject-seeds', '--json')),
    ).toMatchObject({ descriptions: 3, subjects: 0 });
    expect(
      seedsOf(lotse('triage', 'train', join(withCats, 'train80.jsonl'), '--model', 'seeds', '--no-categories', '--json')),
    ).toMatchObject({ descriptions: 0, subjects: 6 });
    const noFile = lotse('triage', 'train', join(without, 'train80.jsonl'), '--model', 'seeds', '--json');
    expect(seedsOf(noFile)).toEqual({ descriptions: 0, descriptionSource: 'none', subjects: 6, extra: 0 });
    expect(noFile.stderr).not.toContain('neben der Trainingsdatei');
    expect(
      seedsOf(
        lotse(
          'triage',
          'train',
          join(without, 'train80.jsonl'),
          '--model',
          'seeds',
          '--categories',
          join(withCats, 'categories.json'),
          '--json',
        ),
      ),
    ).toMatchObject({ descriptions: 3, descriptionSource: 'input' });

    writeFileSync(join(without, 'kaputt.json'), '{"groups": []}');
    const bad = lotse('triage', 'train', join(without, 'train80.jsonl'), '--categories', join(without, 'kaputt.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('kaputt.json');
  }, 300_000);
});
