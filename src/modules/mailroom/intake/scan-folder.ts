import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../../core/context.ts';
import { systemActor, type Actor } from '../../../core/auth/index.ts';
import { AppError } from '../../../core/errors.ts';
import { LIMITS as DOCUMENT_LIMITS } from '../documents/limits.ts';
import { ingestDocument } from '../documents/ingest-document.ts';

/** A file is taken once its size and mtime have not changed for this long (scanner still writing). */
export const STABLE_MS = 5_000;

export interface FolderScanResult {
  taken: { file: string; documentId: number | null; status: string; movedTo: 'processed' | 'rejected' }[];
  waiting: number;
}

const safeName = (dir: string, name: string): string => {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(dir, `${stamp}_${name}`);
};

/**
 * Takes the stable files of the watched folder (LOTSE_INBOX_DIR): each is ingested as a document
 * (source `folder`) and then moved to `processed/`, or to `rejected/` with a `<name>.reason.txt`
 * when it could not be taken. Hidden files and files still changing are left for the next scan.
 * The original is moved only after the document is committed; a crash in between makes the next scan
 * find the same SHA-256 (no second document) and move the file then.
 */
export async function scanInboxFolder(ctx: AppContext, dir: string, opts: { stableMs?: number; actor?: Actor } = {}): Promise<FolderScanResult> {
  const stableMs = opts.stableMs ?? STABLE_MS;
  const actor = opts.actor ?? systemActor('mailroom-folder');
  const processed = join(dir, 'processed');
  const rejected = join(dir, 'rejected');
  await mkdir(processed, { recursive: true });
  await mkdir(rejected, { recursive: true });
  const out: FolderScanResult = { taken: [], waiting: 0 };
  const now = Date.now();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const st = await stat(path).catch(() => null);
    if (!st) continue;
    if (now - st.mtimeMs < stableMs) {
      out.waiting++;
      continue;
    }
    let reason: string | null = null;
    let documentId: number | null = null;
    let status = 'rejected';
    try {
      if (st.size > DOCUMENT_LIMITS.maxFileBytes) throw new AppError('payload_too_large', `Datei ist größer als ${Math.round(DOCUMENT_LIMITS.maxFileBytes / 1e6)} MB.`);
      const buffer = await readFile(path);
      const r = await ingestDocument(ctx, actor, { buffer, filename: entry.name, source: 'folder' }, { ocr: 'job' });
      documentId = r.duplicateOf && r.sameFile ? r.duplicateOf : r.documentId;
      status = r.status;
      if (r.status === 'rejected') reason = r.reason ?? 'Datei konnte nicht gelesen werden.';
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    const target = reason === null ? processed : rejected;
    const dest = safeName(target, entry.name);
    await rename(path, dest);
    if (reason !== null) await writeFile(`${dest}.reason.txt`, `${reason}\n${documentId ? `Dokument ${documentId}\n` : ''}`);
    out.taken.push({ file: entry.name, documentId, status, movedTo: reason === null ? 'processed' : 'rejected' });
  }
  if (out.taken.length) ctx.log.info({ taken: out.taken.length, waiting: out.waiting }, 'inbox folder scanned');
  return out;
}
