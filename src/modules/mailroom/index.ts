import type { LotseModule } from '../../core/module.ts';

/**
 * Mailroom: document intake, reading (PDF text layer, OCR), e-invoices, triage and routing.
 * This file is the module's only public entry; other modules import from here.
 * Sub-areas add their exports below (one line each).
 */
export const module: LotseModule = {
  name: 'mailroom',
};
