/**
 * Form values from `c.req.parseBody({ all: true })` (string, File, or an array of them when a
 * field repeats). Pure and Hono-free, so pages of every module share one reading of a form.
 */

/** Form value as string: the first one when repeated, '' when missing or a file. */
export function str(v: unknown): string {
  if (Array.isArray(v)) return str(v[0]);
  return typeof v === 'string' ? v : '';
}

/**
 * Form value as string only when it was sent exactly once: '' when missing, a file, or repeated (a
 * repeated single-value field is ambiguous, so nothing is guessed and the required check reports it).
 */
export function singleStr(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** All non-empty string values of a (possibly repeated) field; files are left out. */
export function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
}
