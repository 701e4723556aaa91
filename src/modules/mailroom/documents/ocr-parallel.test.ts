import { availableParallelism } from 'node:os';
import { describe, expect, it, vi } from 'vitest';

/** Fake tools: pdftoppm "renders" n pages, tesseract takes 40 ms and reads 20 confident words. */
const state = vi.hoisted(() => ({ running: 0, peak: 0, calls: 0 }));
vi.mock('./pdf.ts', () => ({
  withTempDir: <T,>(fn: (dir: string) => Promise<T>) => fn('/tmp'),
  renderPdfPages: async (buffer: Buffer) => Array.from({ length: Number(buffer.toString()) }, (_, i) => `/tmp/page-${i}.pgm`),
}));
vi.mock('./run-tool.ts', () => ({
  ToolError: class extends Error {},
  runTool: async (cmd: string) => {
    if (cmd !== 'tesseract') throw new Error(`unexpected ${cmd}`);
    state.calls++;
    state.running++;
    state.peak = Math.max(state.peak, state.running);
    await new Promise((r) => setTimeout(r, 40));
    state.running--;
    const head = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
    const words = Array.from({ length: 20 }, (_, i) => `5\t1\t1\t1\t${i}\t1\t100\t${100 + i * 40}\t200\t30\t95\tWort${i}`);
    return { stdout: Buffer.from([head, ...words].join('\n')), stderr: Buffer.alloc(0), code: 0 };
  },
}));

const { ocrPdf } = await import('./ocr.ts');

describe('OCR runs pages in parallel up to the core count', () => {
  it('a 12-page scan: as many tesseract processes at once as there are cores, never more', async () => {
    const cores = availableParallelism();
    const r = await ocrPdf(Buffer.from('12'));
    expect(r.pages).toHaveLength(12);
    expect(state.calls).toBe(12); // good pages are read once (no orientation check)
    expect(state.peak).toBe(Math.min(cores, 12));
  });

  it('two documents at once (two OCR jobs) share the same cap', async () => {
    state.peak = 0;
    const cores = availableParallelism();
    await Promise.all([ocrPdf(Buffer.from('6')), ocrPdf(Buffer.from('6'))]);
    expect(state.peak).toBe(Math.min(cores, 12));
  });
});
