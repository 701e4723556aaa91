import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.ts';
import { describeJsonError } from '../../../core/json-syntax.ts';
import { parseJsonLines, trainingLineSchema } from './rows.ts';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('no error');
}

describe('JSON syntax errors in German with file, line and column', () => {
  it('a broken JSON line names the file, the line and the column, without the English V8 text', () => {
    const ok = JSON.stringify({ id: 1, text: 'Hallo', category: 'a' });
    const e = errorOf(() => parseJsonLines(`${ok}\n\n{"id": 2 "text": "x", "category": "a"}\n`, trainingLineSchema, 'train.jsonl'));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/^train\.jsonl: ungültiges JSON in Zeile 3, Spalte 10( \([^)]+\))?\.$/);
    expect(e.details!.fields![0]!.field).toBe('train.jsonl:3');
    expect(e.details!.fields![0]!.message).toMatch(/^ungültiges JSON in Zeile 3, Spalte 10/);
    expect(JSON.stringify(e.details)).not.toMatch(/invalid|Expected|position/);
  });

  it('computes line and column from a position, takes them from the message, or names the end', () => {
    expect(describeJsonError('{\n"a": 1\n"b"}', "Expected ',' or '}' after property value in JSON at position 9").text).toBe("ungültiges JSON in Zeile 3, Spalte 1 (',' oder '}' erwartet)");
    expect(describeJsonError('x', "Expected ',' or '}' after property value in JSON at position 100 (line 4 column 7)").text).toBe("ungültiges JSON in Zeile 4, Spalte 7 (',' oder '}' erwartet)");
    expect(describeJsonError('{"a": [1', 'Unexpected end of JSON input', 5).text).toBe('ungültiges JSON in Zeile 5, Spalte 9 (Text endet mitten im JSON)');
  });
});
