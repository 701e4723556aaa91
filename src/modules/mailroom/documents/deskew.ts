/**
 * Pixel deskew of a scanned page (8-bit grey PGM, as `pdftoppm -gray` renders it), in plain
 * TypeScript: no ImageMagick/unpaper in the CI package set.
 *
 * Angle: projection-profile method. The page is downsampled (darkest pixel of each 2×2 block, so thin
 * strokes survive) and binarised (Otsu); for each candidate angle the dark pixels are sheared onto rows
 * and the sum of squared row counts is taken: it peaks when the text lines lie exactly on rows.
 * Coarse search −6°…+6° in 0.5° steps, then 0.05° steps around the best.
 * Correction: rotation by −angle with bilinear interpolation onto a slightly larger white canvas.
 * Both steps exist synchronously (`deskewPgm`) and cooperatively (`deskewPgmAsync`, used by OCR: slices of
 * ~SLICE_MS with event-loop turns in between, identical result).
 */

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, 0 = black, 255 = white, row by row. */
  data: Uint8Array;
}

/** Version of the deskew rule, recorded with the OCR page info. */
export const DESKEW_VERSION = 'lotse-deskew-1';
/** Largest skew searched, in degrees. */
export const MAX_SKEW = 6;
/**
 * Smaller skews are left alone: Tesseract copes with them, and straightening a 0.6° page exactly made
 * it drop a column of amounts sitting on table rules (page rendered at ~600 dpi, `read-document.test.ts`).
 */
export const MIN_SKEW = 1;

export function parsePgm(pgm: Uint8Array): GrayImage {
  const head = Buffer.from(pgm.buffer, pgm.byteOffset, Math.min(pgm.length, 64)).toString('latin1');
  const m = /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!m || Number(m[3]) !== 255) throw new Error('kein 8-bit-PGM');
  const width = Number(m[1]);
  const height = Number(m[2]);
  const data = pgm.subarray(m[0].length, m[0].length + width * height);
  if (data.length < width * height) throw new Error('PGM zu kurz');
  return { width, height, data };
}

export function toPgm(img: GrayImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${img.width} ${img.height}\n255\n`), img.data]);
}

/** Otsu threshold of a grey histogram. */
function otsu(hist: Uint32Array, total: number): number {
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * hist[i]!;
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * Cooperative execution: the CPU work below is written as generators that `yield` at checkpoints
 * (every band of rows, every angle trial). `runSync` runs them straight through (unit tests, tools);
 * `runCooperative` gives the event loop a turn (`setImmediate`) whenever a slice has taken
 * `SLICE_MS`, so OCR in the web server's process does not stall requests. Both run the very same code,
 * so their results are identical.
 */
type Steps<T> = Generator<void, T, void>;

/** Longest stretch of deskew work between two event-loop turns in the cooperative variant, in ms. */
export const SLICE_MS = 8;
/** Pixels handled between two checkpoints (a band of rows): well under a millisecond of work. */
const BAND_PIXELS = 1 << 16;

function runSync<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

async function runCooperative<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let start = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - start >= sliceMs) {
      await new Promise(setImmediate);
      start = performance.now();
    }
  }
}

const bandRows = (width: number): number => Math.max(1, Math.floor(BAND_PIXELS / Math.max(1, width)));

/** Rows y0…y1−1 of the downsampled page (darkest pixel of each f×f block) plus their histogram. */
function downsampleRows(img: GrayImage, f: number, w: number, small: Uint8Array, hist: Uint32Array, y0: number, y1: number): void {
  const src = img.data;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < w; x++) {
      let v = 255;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * img.width + x * f;
        for (let dx = 0; dx < f; dx++) v = Math.min(v, src[row + dx]!);
      }
      small[y * w + x] = v;
      hist[v]!++;
    }
  }
}

function* estimateSkewSteps(img: GrayImage): Steps<number> {
  const f = img.width > 1200 ? 2 : 1;
  const w = Math.floor(img.width / f);
  const h = Math.floor(img.height / f);
  if (w < 16 || h < 16) return 0;
  const small = new Uint8Array(w * h);
  const hist = new Uint32Array(256);
  const band = bandRows(w * f * f);
  for (let y = 0; y < h; y += band) {
    downsampleRows(img, f, w, small, hist, y, Math.min(h, y + band));
    yield;
  }
  // A near-white page has no usable threshold: treat anything not clearly dark as paper.
  const t = Math.min(otsu(hist, w * h), 160);
  // Dark pixels as coordinates relative to the centre; the page margins (2 %) are ignored (scanner edges).
  const mx = Math.floor(w * 0.02);
  const my = Math.floor(h * 0.02);
  const xs: number[] = [];
  const ys: number[] = [];
  const darkBand = bandRows(w);
  for (let y = my; y < h - my; y++) {
    for (let x = mx; x < w - mx; x++) if (small[y * w + x]! <= t) {
      xs.push(x - w / 2);
      ys.push(y);
    }
    if ((y - my) % darkBand === darkBand - 1) yield;
  }
  const n = xs.length;
  if (n < 200 || n > w * h * 0.5) return 0;
  const X = Float64Array.from(xs);
  const Y = Float64Array.from(ys);
  yield;
  const pad = Math.ceil((w / 2) * Math.tan((MAX_SKEW * Math.PI) / 180)) + 2;
  const bins = new Float64Array(h + 2 * pad);
  const score = (deg: number): number => {
    const k = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    for (let i = 0; i < n; i++) bins[Math.round(Y[i]! - X[i]! * k) + pad]!++;
    let s = 0;
    for (let i = 0; i < bins.length; i++) s += bins[i]! * bins[i]!;
    return s;
  };
  let best = 0;
  let bestS = score(0);
  yield;
  for (let d = -MAX_SKEW; d <= MAX_SKEW + 1e-9; d += 0.5) {
    const s = score(d);
    if (s > bestS) [best, bestS] = [d, s];
    yield;
  }
  const coarse = best;
  for (let d = coarse - 0.5; d <= coarse + 0.5 + 1e-9; d += 0.05) {
    const s = score(d);
    if (s > bestS) [best, bestS] = [d, s];
    yield;
  }
  return Math.round(best * 100) / 100;
}

/**
 * Estimated skew in degrees: positive when the text lines fall to the right (clockwise on screen).
 * 0 for a page without enough dark pixels (blank). Searched: ±MAX_SKEW, refined up to 0.5° beyond.
 * Synchronous (blocks the event loop for the whole page); the OCR path uses `estimateSkewAsync`.
 */
export function estimateSkew(img: GrayImage): number {
  return runSync(estimateSkewSteps(img));
}

/** `estimateSkew` in slices of at most about SLICE_MS, yielding to the event loop in between. */
export function estimateSkewAsync(img: GrayImage): Promise<number> {
  return runCooperative(estimateSkewSteps(img));
}

function* rotateGraySteps(img: GrayImage, deg: number, scale: number): Steps<GrayImage> {
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a) / scale;
  const sin = Math.sin(a) / scale;
  const { width: w, height: h, data } = img;
  const W = Math.ceil(scale * scale * (w * Math.abs(cos) + h * Math.abs(sin)) - 1e-6);
  const H = Math.ceil(scale * scale * (w * Math.abs(sin) + h * Math.abs(cos)) - 1e-6);
  const out = new Uint8Array(W * H).fill(255);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const CX = (W - 1) / 2;
  const CY = (H - 1) / 2;
  const band = bandRows(W);
  yield;
  for (let Y0 = 0; Y0 < H; Y0 += band) {
    rotateRows(Y0, Math.min(H, Y0 + band));
    yield;
  }
  return { width: W, height: H, data: out };

  function rotateRows(Y0: number, Y1: number): void {
    for (let Yo = Y0; Yo < Y1; Yo++) {
      const dy = Yo - CY;
      // source = R(+deg) · (destination − centre) / scale: destination is the source turned by −deg
      let sx = cx - CX * cos - dy * sin;
      let sy = cy - CX * sin + dy * cos;
      const row = Yo * W;
      for (let Xo = 0; Xo < W; Xo++, sx += cos, sy += sin) {
        if (sx < 0 || sy < 0 || sx > w - 1 || sy > h - 1) continue;
        const x0 = sx | 0;
        const y0 = sy | 0;
        const fx = sx - x0;
        const fy = sy - y0;
        const i = y0 * w + x0;
        const x1 = x0 < w - 1 ? 1 : 0;
        const y1 = y0 < h - 1 ? w : 0;
        const p00 = data[i]!;
        const p10 = data[i + x1]!;
        const p01 = data[i + y1]!;
        const p11 = data[i + y1 + x1]!;
        const top = p00 + (p10 - p00) * fx;
        const bottom = p01 + (p11 - p01) * fx;
        out[row + Xo] = (top + (bottom - top) * fy + 0.5) | 0;
      }
    }
  }
}

/**
 * Turns the image by `deg` degrees counter-clockwise on screen (i.e. undoes a clockwise skew of `deg`),
 * bilinear, onto a white canvas large enough for the whole page, enlarged by `scale`.
 */
export function rotateGray(img: GrayImage, deg: number, scale = 1): GrayImage {
  return runSync(rotateGraySteps(img, deg, scale));
}

/** `rotateGray` in slices of at most about SLICE_MS (bands of rows), yielding to the event loop in between. */
export function rotateGrayAsync(img: GrayImage, deg: number, scale = 1): Promise<GrayImage> {
  return runCooperative(rotateGraySteps(img, deg, scale));
}

/** Pages whose shorter side has fewer pixels (A4 below about 170 dpi) are enlarged 2× while straightened. */
export const UPSCALE_BELOW = 1400;

/**
 * Deskews a PGM page: returns the measured angle and, when it is at least MIN_SKEW, the straightened
 * PGM (otherwise `pgm` is null and the page stays as it is). A low-resolution page is enlarged 2× in
 * the same resampling step: Tesseract reads small, re-sampled digits better at about 300 dpi.
 * Synchronous: blocks the event loop for 0.1–0.4 s per A4 page at 300 dpi — the OCR path (which runs in
 * the web server's process) uses `deskewPgmAsync`.
 */
export function deskewPgm(pgm: Uint8Array): { angle: number; pgm: Buffer | null } {
  return runSync(deskewSteps(pgm));
}

/**
 * `deskewPgm`, cooperative: the same work in slices of at most about SLICE_MS with an event-loop turn
 * (`setImmediate`) between them, so web requests are served while a scan is straightened. Same result
 * (angle and bytes) as `deskewPgm`. Not a worker thread: the CLI/server run from one esbuild bundle.
 */
export function deskewPgmAsync(pgm: Uint8Array): Promise<{ angle: number; pgm: Buffer | null }> {
  return runCooperative(deskewSteps(pgm));
}

function* deskewSteps(pgm: Uint8Array): Steps<{ angle: number; pgm: Buffer | null }> {
  const img = parsePgm(pgm);
  const angle = yield* estimateSkewSteps(img);
  if (Math.abs(angle) < MIN_SKEW) return { angle, pgm: null };
  const scale = Math.min(img.width, img.height) < UPSCALE_BELOW ? 2 : 1;
  const turned = yield* rotateGraySteps(img, angle, scale);
  return { angle, pgm: toPgm(turned) };
}
