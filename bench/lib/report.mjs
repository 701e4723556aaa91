// Writes one benchmark's section into BENCHMARKS.md between its markers, keeping the others.
// Usage: await writeSection('startup', markdownText)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const FILE = join(import.meta.dirname, '..', '..', 'BENCHMARKS.md');

/** "2026-11-25, 2 × Intel Xeon …, 24 GiB, Node v20.20.2" */
export function machineLine() {
  const c = cpus();
  return `${new Date().toISOString().slice(0, 10)}, ${c.length} × ${c[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
}

export function writeSection(name, markdown) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n\nEach section is written by its script in `bench/` (`npm run bench:NAME`). Figures are from the machine named in the section.\n';
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, text);
}
