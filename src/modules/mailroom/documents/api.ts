import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission, userActor } from '../../../core/auth/index.ts';
import { AppError } from '../../../core/errors.ts';
import type { AppRouter } from '../../../core/http/app.ts';
import { extractInvoice } from '../invoices/extract-invoice.ts';
import { LIMITS } from './limits.ts';
import { DOCUMENT_STATUSES, getDocument, listInbox } from './list-inbox.ts';
import { outcomeOf } from './process-document.ts';

const ValidationSchema = z.object({ valid: z.boolean(), errors: z.array(z.object({ rule: z.string(), message: z.string() })) });
const InvoiceSchema = z
  .object({
    format: z.enum(['ubl', 'cii', 'zugferd', 'ocr']),
    // As interfaces.md: null only where it says str|null; a missing mandatory value is "" / 0 with its rule in validation.errors.
    invoiceNumber: z.string().openapi({ description: 'BT-1; "" when missing (rule BR-02 in validation.errors)' }),
    issueDate: z.string().openapi({ example: '2018-03-05', description: 'BT-2 as YYYY-MM-DD; "" when missing or no valid date' }),
    currency: z.string(),
    buyerReference: z.string().nullable().openapi({ description: 'BT-10, the Leitweg-ID for public buyers' }),
    seller: z.object({ name: z.string(), vatId: z.string().nullable() }),
    buyer: z.object({ name: z.string().nullable() }),
    totals: z.object({ net: z.number(), tax: z.number(), gross: z.number(), payable: z.number() }).openapi({ description: 'BT-109, BT-110, BT-112, BT-115; 0 when absent' }),
    iban: z.string().nullable(),
    lineCount: z.number().int(),
    validation: ValidationSchema,
  })
  .openapi('Invoice');

const DocumentSchema = z
  .object({
    documentId: z.number().int(),
    kind: z.string(),
    status: z.enum(DOCUMENT_STATUSES),
    reason: z.string().nullable(),
    category: z.string().nullable(),
    department: z.string().nullable(),
    confidence: z.number(),
    abstained: z.boolean(),
    pages: z.number().int(),
    ocr: z.boolean(),
    fields: z.record(z.string(), z.unknown()),
    duplicateOf: z.number().int().nullable(),
  })
  .openapi('Document');

const binary = { schema: z.string().openapi({ type: 'string', format: 'binary' }) };

const extractRoute = createRoute({
  method: 'post',
  path: '/invoices/extract',
  tags: ['Posteingang'],
  summary: 'E-Rechnung (XRechnung UBL/CII, ZUGFeRD) oder gescannte Rechnung lesen und prüfen (nichts wird gespeichert)',
  middleware: [requirePermission('mailroom.process')] as const,
  request: {
    query: z.object({ filename: z.string().max(255).optional().openapi({ example: 'rechnung.xml' }) }),
    body: { content: { 'application/xml': binary, 'application/pdf': binary, 'application/octet-stream': binary, 'image/png': binary, 'image/jpeg': binary, 'image/tiff': binary }, required: true },
  },
  responses: {
    200: { description: 'Gelesene Rechnung; `validation.valid=false` bei verletzten Regeln', content: { 'application/json': { schema: InvoiceSchema } } },
    413: { description: 'Datei zu groß' },
    415: { description: 'Keine lesbare Rechnung' },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/documents/{id}',
  tags: ['Posteingang'],
  summary: 'Ein eingegangenes Dokument mit Status, Grund und gelesenen Feldern',
  middleware: [requirePermission('mailroom.process')] as const,
  request: { params: z.object({ id: z.coerce.number().int().positive() }) },
  responses: { 200: { description: 'Dokument', content: { 'application/json': { schema: DocumentSchema } } }, 404: { description: 'Nicht gefunden' } },
});

const listRoute = createRoute({
  method: 'get',
  path: '/documents',
  tags: ['Posteingang'],
  summary: 'Eingegangene Dokumente, neueste zuerst',
  middleware: [requirePermission('mailroom.process')] as const,
  request: { query: z.object({ status: z.enum(DOCUMENT_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).optional() }) },
  responses: {
    200: {
      description: 'Dokumente und Anzahl je Status',
      content: { 'application/json': { schema: z.object({ documents: z.array(DocumentSchema), counts: z.record(z.string(), z.number()) }) } },
    },
  },
});

/** Machine API of the document inbox (staff session with `mailroom.process`). */
export function documentApi(api: AppRouter): void {
  api.openapi(extractRoute, async (c) => {
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > LIMITS.maxFileBytes) throw new AppError('payload_too_large', `Die Datei ist größer als ${LIMITS.maxFileBytes / 1048576} MB.`);
    const buffer = Buffer.from(await c.req.arrayBuffer());
    if (buffer.length > LIMITS.maxFileBytes) throw new AppError('payload_too_large', `Die Datei ist größer als ${LIMITS.maxFileBytes / 1048576} MB.`);
    const { filename } = c.req.valid('query');
    return c.json(await extractInvoice(buffer, filename ?? 'upload'), 200);
  });
  api.openapi(getRoute, async (c) => {
    const row = await getDocument(c.var.ctx, userActor(c.var.user!), c.req.valid('param').id);
    return c.json(outcomeOf(row), 200);
  });
  api.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const { rows, counts } = await listInbox(c.var.ctx, userActor(c.var.user!), { status: q.status, limit: q.limit });
    return c.json({ documents: rows.map((r) => outcomeOf(r)), counts }, 200);
  });
}
