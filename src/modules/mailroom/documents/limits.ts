/**
 * Limits for incoming documents. A file beyond them is rejected with a reason before it is decoded,
 * so a zip bomb or a 100 000 × 100 000 pixel PNG cannot exhaust memory or CPU.
 */
export const LIMITS = {
  /** Bytes per file. */
  maxFileBytes: 50 * 1024 * 1024,
  /** Pages per PDF or multi-page TIFF. */
  maxPages: 100,
  /** Pixels per image (width × height), checked from the image header. */
  maxPixels: 60_000_000,
  /** Text extracted from one document. */
  maxTextBytes: 16 * 1024 * 1024,
  /** Pages OCR'd per document (a 100-page scan would take minutes; the rest goes to review). */
  maxOcrPages: 30,
} as const;
