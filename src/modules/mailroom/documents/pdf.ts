import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../core/errors.ts';
import { LIMITS } from './limits.ts';
import { runTool, ToolError } from './run-tool.ts';

export interface PdfAttachment {
  filename: string;
  content: Uint8Array;
}

export interface PdfInfo {
  pages: number;
  attachments: PdfAttachment[];
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
/** pdfjs is loaded on first use (it is large and most CLI commands never need it). */
const loadPdfJs = (): Promise<PdfJs> => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

/**
 * Opens a PDF with pdfjs: page count and embedded files (EmbeddedFiles name tree / AF).
 * @throws AppError('unsupported_media_type') for encrypted (password) or corrupt PDFs, or too many pages.
 */
export async function inspectPdf(buffer: Buffer, filename: string): Promise<PdfInfo> {
  const { getDocument } = await loadPdfJs();
  const task = getDocument({ data: new Uint8Array(buffer), isEvalSupported: false, verbosity: 0, stopAtErrors: false });
  try {
    const doc = await task.promise;
    if (doc.numPages > LIMITS.maxPages) {
      throw new AppError('payload_too_large', `${filename}: PDF hat ${doc.numPages} Seiten, erlaubt sind höchstens ${LIMITS.maxPages}.`);
    }
    const raw = ((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
    const attachments = Object.values(raw).map((a) => ({ filename: a.filename, content: a.content }));
    return { pages: doc.numPages, attachments };
  } catch (e) {
    if (e instanceof AppError) throw e;
    const name = (e as Error)?.name ?? '';
    if (name === 'PasswordException') {
      throw new AppError('unsupported_media_type', `${filename}: PDF ist verschlüsselt (Passwort erforderlich) und kann nicht gelesen werden.`);
    }
    throw new AppError('unsupported_media_type', `${filename}: ${pdfProblem(e)}`);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/**
 * A German reason for a PDF that pdfjs cannot open. pdfjs' own messages are English and technical
 * ("Invalid PDF structure."): they go to the log at most, never into a reason shown to staff.
 */
export function pdfProblem(e: unknown): string {
  const name = (e as Error)?.name ?? '';
  const msg = (e as Error)?.message ?? '';
  if (name === 'InvalidPDFException' || /invalid pdf structure|invalid xref|bad xref|xref/i.test(msg)) {
    return 'PDF-Struktur beschädigt (Verzeichnis der PDF-Objekte fehlt oder ist kaputt); die Datei ist unvollständig oder defekt.';
  }
  if (name === 'MissingPDFException' || /missing pdf|empty/i.test(msg)) return 'PDF-Datei ist leer oder enthält keine PDF-Daten.';
  if (/header/i.test(msg)) return 'PDF-Kopf fehlt oder ist beschädigt; die Datei ist keine lesbare PDF-Datei.';
  return 'PDF ist beschädigt oder unvollständig und kann nicht geöffnet werden.';
}

/** A temporary directory that is always removed. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lotse-doc-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The text layer of each page (`pdftotext -layout`, poppler-utils), which keeps labels and values of a
 * line together. Pages are split at form feeds.
 */
export async function pdfTextPages(buffer: Buffer, filename: string): Promise<string[]> {
  return withTempDir(async (dir) => {
    const file = join(dir, 'in.pdf');
    await writeFile(file, buffer);
    try {
      const { stdout } = await runTool('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { timeoutMs: 60_000, maxBytes: LIMITS.maxTextBytes });
      const pages = stdout.toString('utf8').split('\f');
      if (pages.length > 1 && pages[pages.length - 1]!.trim() === '') pages.pop();
      return pages;
    } catch (e) {
      if (e instanceof ToolError && e.reason === 'missing') throw e;
      // pdftotext's own stderr is English: name the problem in German, keep the tool's words out.
      const why = e instanceof ToolError && e.reason === 'timeout' ? 'Zeitlimit überschritten' : e instanceof ToolError && e.reason === 'too_much_output' ? 'Textmenge über der Grenze' : 'PDF-Struktur beschädigt';
      throw new AppError('unsupported_media_type', `${filename}: Text der PDF-Datei nicht lesbar (${why}).`);
    }
  });
}

/** Non-blank characters from which a text layer alone counts as the document's text (a scan may carry a stamp or a scanner footer). */
export const MIN_TEXT_LAYER_CHARS = 40;

/** True when the PDF contains at least one raster image (`pdfimages -list`, poppler-utils; no image is decoded). */
export async function pdfHasImages(buffer: Buffer): Promise<boolean> {
  return withTempDir(async (dir) => {
    const file = join(dir, 'in.pdf');
    await writeFile(file, buffer);
    try {
      const { stdout } = await runTool('pdfimages', ['-list', file], { timeoutMs: 30_000, maxBytes: 4 * 1024 * 1024 });
      return stdout.toString('utf8').split('\n').slice(2).some((l) => l.trim() !== '');
    } catch {
      return true; // unknown (tool missing, failed, timed out): treat as a possible scan (OCR), as before
    }
  });
}

/**
 * Whether the text layer is the document's text (no OCR): long enough, or short but real — a PDF with
 * some text and no images at all is a short letter or form (e.g. an owner-password PDF with one line),
 * not a scan; OCR would only read the same text worse.
 */
export async function useTextLayer(buffer: Buffer, text: string): Promise<boolean> {
  const chars = text.replace(/\s+/g, '').length;
  if (chars >= MIN_TEXT_LAYER_CHARS) return true;
  if (chars === 0) return false;
  return !(await pdfHasImages(buffer));
}

/** Renders every page as an 8-bit grey PGM at the given resolution (`pdftoppm`); returns the files in page order. */
export async function renderPdfPages(buffer: Buffer, dir: string, dpi = 300): Promise<string[]> {
  const file = join(dir, 'in.pdf');
  await writeFile(file, buffer);
  await runTool('pdftoppm', ['-r', String(dpi), '-gray', file, join(dir, 'page')], { timeoutMs: 120_000, maxBytes: 1024 * 1024 });
  const { readdir } = await import('node:fs/promises');
  return (await readdir(dir))
    .filter((f) => f.startsWith('page') && f.endsWith('.pgm'))
    .sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)![1]) - Number(/(\d+)\.pgm$/.exec(b)![1]))
    .map((f) => join(dir, f));
}
