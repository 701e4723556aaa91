// How `lotse` runs its TypeScript sources without a build step for the user
// (docs/decisions/0002-runtime-without-build.md):
//  1. Bundle src/cli/main.ts with esbuild (a dependency of tsx) into node_modules/.cache/lotse/,
//     keyed by a fingerprint of the sources; a start with unchanged sources reuses the bundle.
//     Loading one bundled file skips tsx's module hooks for ~300 files and halves start-up CPU.
//  2. If bundling is impossible (read-only node_modules, a syntax error, LOTSE_RUNTIME=tsx),
//     run the sources through tsx's loader instead – slower, same behaviour.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'lotse');
const BUNDLE_VERSION = '1';

/** Paths, sizes and mtimes of everything that goes into the bundle. */
function fingerprint() {
  const h = createHash('sha256').update(BUNDLE_VERSION).update(process.version);
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx|json|mjs|js)$/.test(e.name)) {
        const s = statSync(p);
        h.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(join(ROOT, 'src'));
  for (const f of ['tsconfig.json', 'package-lock.json', 'bin/runtime.mjs']) {
    const p = join(ROOT, f);
    if (existsSync(p)) h.update(`${f}\0${statSync(p).mtimeMs}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Each source file keeps its own location: `import.meta.url`/`dirname`/`filename` are replaced
 * by the original file's values, so paths to migrations, static files and data stay right.
 */
const keepImportMeta = {
  name: 'lotse-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.(ts|tsx|mts)$/ }, async (args) => {
      const src = (await readFile(args.path, 'utf8'))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents: src, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

async function bundle() {
  const file = join(CACHE, `main-${fingerprint()}.mjs`);
  if (existsSync(file)) return file;
  const { build } = await import('esbuild');
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'silent',
    plugins: [keepImportMeta],
  });
  // The map is named after the temporary file; keep the pair together under the final name.
  renameSync(`${tmp}.map`, `${file}.map`);
  const { readFileSync, writeFileSync } = await import('node:fs');
  writeFileSync(tmp, readFileSync(tmp, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${file.split('/').pop()}.map`));
  renameSync(tmp, file); // atomic: a concurrent start sees the old state or the complete bundle
  for (const old of readdirSync(CACHE)) if (old.startsWith('main-') && !old.startsWith(file.split('/').pop())) rmSync(join(CACHE, old), { force: true });
  return file;
}

/** Loads `src/cli/main.ts` the fastest way available and returns its exports. */
export async function loadMain() {
  if (process.env.LOTSE_RUNTIME !== 'tsx') {
    try {
      const file = await bundle();
      process.setSourceMapsEnabled(true);
      return await import(pathToFileURL(file).href);
    } catch (e) {
      if (process.env.LOTSE_RUNTIME === 'bundle') throw e;
      // Fall through to tsx, which reports syntax errors with file and line.
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}
