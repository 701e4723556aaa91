import { describe, expect, it } from 'vitest';
import { describeJsonError, lineColumn } from './json-syntax.ts';

function errorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('valid JSON');
}

describe('describeJsonError', () => {
  it('turns a V8 position into German line and column', () => {
    const text = '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}';
    const d = describeJsonError(text, errorOf(text));
    expect(d).toMatchObject({ line: 4, column: 3 });
    expect(d.text).toBe("ungültiges JSON in Zeile 4, Spalte 3 (',' oder '}' erwartet)");
  });

  it('uses line/column from the message when given, the end of the text when nothing is given', () => {
    expect(describeJsonError('x', "Expected ',' or '}' after property value in JSON at position 100 (line 7 column 12)").text).toBe(
      "ungültiges JSON in Zeile 7, Spalte 12 (',' oder '}' erwartet)",
    );
    const cut = '{\n "a": [1, 2';
    expect(describeJsonError(cut, errorOf(cut)).text).toMatch(/^ungültiges JSON in Zeile 2, Spalte \d+ \(/);
    expect(describeJsonError('{}', 'Unexpected end of JSON input').text).toBe('ungültiges JSON in Zeile 1, Spalte 3 (Text endet mitten im JSON)');
    expect(describeJsonError('{}', 'something new').text).toBe('ungültiges JSON in Zeile 1, Spalte 3');
  });

  it('never leaks the English V8 message', () => {
    for (const bad of ['{"a" 1}', '{a: 1}', '[1,,2]', '{"a": "x\ty"}', '{"a": 1} x', 'nope']) {
      expect(describeJsonError(bad, errorOf(bad)).text, bad).not.toMatch(/Expected|Unexpected|JSON at|position/);
    }
  });

  it('lineColumn counts from 1', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('describeJsonError with firstLine (JSON Lines)', () => {
  it('counts lines from the line of the file the text came from', () => {
    const line = '{"id": "q1", "question": "x"';
    expect(describeJsonError(line, errorOf(line), 7).text).toMatch(/^ungültiges JSON in Zeile 7, Spalte \d+ \(/);
  });
});
