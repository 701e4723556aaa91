import { describe, expect, it } from 'vitest';
import { list, singleStr, str } from './form-values.ts';

describe('form values', () => {
  it('str: the string, the first of repeated values, else empty', () => {
    expect(str('a')).toBe('a');
    expect(str(['b', 'c'])).toBe('b');
    expect(str(undefined)).toBe('');
    expect(str([])).toBe('');
    expect(str(new File(['x'], 'x.txt'))).toBe('');
  });
  it('singleStr: the string only when sent once, else empty', () => {
    expect(singleStr('a')).toBe('a');
    expect(singleStr('')).toBe('');
    expect(singleStr(['b', 'c'])).toBe('');
    expect(singleStr(['b'])).toBe('');
    expect(singleStr(undefined)).toBe('');
    expect(singleStr(new File(['x'], 'x.txt'))).toBe('');
  });
  it('list: all non-empty strings, files and blanks left out', () => {
    expect(list(undefined)).toEqual([]);
    expect(list('')).toEqual([]);
    expect(list('a')).toEqual(['a']);
    expect(list(['a', '', 'b', new File(['x'], 'x.txt')])).toEqual(['a', 'b']);
  });
});
