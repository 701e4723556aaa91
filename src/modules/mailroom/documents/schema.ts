import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Incoming documents (uploads, scanner folder, mail attachments, e-invoices). The original file is
 * always kept under `LOTSE_DATA_DIR/documents/<sha256>`; this row holds what Lotse read from it.
 */
export const documents = pgTable(
  'documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Hex SHA-256 of the original bytes; the same file is stored once. */
    sha256: text('sha256').notNull(),
    originalFilename: text('original_filename').notNull(),
    /** Detected from the magic bytes, not from the name. */
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** Relative to LOTSE_DATA_DIR: `documents/<sha256>`. */
    storagePath: text('storage_path').notNull(),
    /** upload | folder | imap | cli | email-attachment … */
    source: text('source').notNull(),
    /** xrechnung-ubl | xrechnung-cii | zugferd | pdf | scan | image | email | unknown */
    kind: text('kind').notNull().default('unknown'),
    /** received | processing | routed | review | rejected | duplicate */
    status: text('status').notNull().default('received'),
    /** German reason for review/rejection/duplicate (no personal data). */
    reason: text('reason'),
    pages: integer('pages').notNull().default(0),
    ocr: boolean('ocr').notNull().default(false),
    /** Extracted fields (invoice model for invoices). */
    fields: jsonb('fields').notNull().default({}),
    category: text('category'),
    department: text('department'),
    confidence: real('confidence'),
    /** Rule/model versions that produced the result, e.g. `lotse-invoice-rules-1; tesseract-5/deu`. */
    modelVersion: text('model_version'),
    /** For duplicate detection of invoices: `<invoice number>|<seller VAT id or name>`, normalised. */
    invoiceKey: text('invoice_key'),
    /** The first document this one duplicates (same invoice number + seller). */
    duplicateOf: bigint('duplicate_of', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    retentionUntil: timestamp('retention_until', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('documents_sha256_idx').on(t.sha256),
    index('documents_status_idx').on(t.status, t.createdAt),
    index('documents_invoice_key_idx').on(t.invoiceKey).where(sql`invoice_key IS NOT NULL`),
  ],
);

export type DocumentRow = typeof documents.$inferSelect;
