import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from './run.ts';

describe('exitCodeFor', () => {
  it('never prints the query parameters of a database error (they carry user text)', () => {
    const err = new Error('Failed query: insert into "assistant_log" ("question") values ($1)\nparams: Mein Name ist Erika Mustermann');
    const out = exitCodeFor(err);
    expect(out.code).toBe(EXIT.internal);
    expect(out.message).toContain('Interner Fehler: Failed query');
    expect(out.message).not.toContain('Mustermann');
  });
});
