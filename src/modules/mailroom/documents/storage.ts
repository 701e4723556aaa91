import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../../core/context.ts';

export const sha256Hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Path relative to LOTSE_DATA_DIR where the original file of a hash is kept. */
export const storagePathFor = (sha256: string): string => join('documents', sha256);

/**
 * Keeps the original bytes under `LOTSE_DATA_DIR/documents/<sha256>` (content-addressed, written once
 * via a temporary file and rename, so a crash never leaves half a file under the final name).
 */
export async function storeOriginal(ctx: AppContext, buffer: Buffer, sha256: string): Promise<string> {
  const rel = storagePathFor(sha256);
  const abs = join(ctx.config.dataDir, rel);
  try {
    const s = await stat(abs);
    if (s.size === buffer.length) return rel;
  } catch {
    /* not stored yet */
  }
  await mkdir(join(ctx.config.dataDir, 'documents'), { recursive: true, mode: 0o750 });
  const tmp = `${abs}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, buffer, { mode: 0o640 });
  await rename(tmp, abs);
  return rel;
}

export const readOriginal = (ctx: AppContext, storagePath: string): Promise<Buffer> => readFile(join(ctx.config.dataDir, storagePath));
