import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor, unreadable } from './run.ts';

describe('exitCodeFor', () => {
  it('never prints the query parameters of a database error (they carry user text)', () => {
    const err = new Error('Failed query: insert into "assistant_log" ("question") values ($1)\nparams: Mein Name ist Erika Mustermann');
    const out = exitCodeFor(err);
    expect(out.code).toBe(EXIT.internal);
    expect(out.message).toContain('Interner Fehler: Failed query');
    expect(out.message).not.toContain('Mustermann');
  });
});

describe('unreadable', () => {
  it('names the file and the reason in German, keeping the errno code', () => {
    const e = Object.assign(new Error('ENOENT: no such file or directory, open x'), { code: 'ENOENT' });
    expect(unreadable('fragen.jsonl', e)).toBe('fragen.jsonl: Datei nicht lesbar (Datei nicht gefunden, ENOENT).');
  });
});
