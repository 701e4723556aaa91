import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    writeFileSync(join(dir, 'train.jsonl'), syntheticRows().map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(
      join(dir, 'batch.jsonl'),
      [{ id: 'a', subject: null, text: 'Sperrmüll an der Ecke' }, { id: 'b', subject: 'Lärm', text: 'laute Musik nachts' }, { id: 'c', subject: null, text: ' ' }].map((r) => JSON.stringify(r)).join('\n'),
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
    const lines = b.stdout.trim().split('\n').map((l) => JSON.parse(l));
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
    const abLines = ab.stdout.trim().split('\n').map((l) => JSON.parse(l));
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
    expect(m.stdout.trim().split('\n').map((l) => [JSON.parse(l).version, JSON.parse(l).active])).toEqual([
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
  }, 300_000);
});
