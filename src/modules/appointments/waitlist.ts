import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { unitsFor } from './find-slots.ts';
import * as repo from './repository.ts';
import { getSetup } from './rules.ts';
import { checkCaptcha, rateLimit } from './security.ts';
import { isIsoDate, zonedToUtc } from './time.ts';

const schema = z.object({
  serviceIds: z.array(z.string().min(1)).min(1, 'Bitte mindestens eine Leistung wählen.').max(5),
  email: z
    .string()
    .trim()
    .regex(/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z]{2,}$/i, 'Bitte eine gültige E-Mail-Adresse angeben.')
    .transform((s) => s.toLowerCase()),
  before: z.string().refine(isIsoDate, 'Bitte ein Datum im Format JJJJ-MM-TT angeben.'),
  lang: z.enum(['de', 'en']).default('de'),
  captcha: z.string().max(4000).optional(),
});

/** A citizen asks to be told by e-mail when a slot before `before` frees up. */
export async function joinWaitlist(ctx: AppContext, input: z.input<typeof schema>, meta: { ip?: string | null } = {}) {
  const v = schema.safeParse(input);
  if (!v.success) throw validationError(v.error.issues);
  await rateLimit(ctx, 'wait-ip', meta.ip ?? '-', 10, 3600);
  await checkCaptcha(ctx, v.data.captcha);
  const setup = await getSetup(ctx);
  unitsFor(setup, v.data.serviceIds);
  const loc = setup.locations.find((l) => setup.workstations.some((w) => w.locationId === l.id && v.data.serviceIds.every((s) => w.serviceIds.includes(s))));
  if (!loc) throw new AppError('validation', 'Diese Leistungen werden nicht gemeinsam angeboten.');
  const beforeAt = zonedToUtc(v.data.before, '00:00', loc.timeZone);
  if (beforeAt <= ctx.now()) throw new AppError('validation', 'Das Datum liegt in der Vergangenheit.', { fields: [{ field: 'before', message: 'Das Datum liegt in der Vergangenheit.' }] });
  return repo.insertWaitlist(ctx.db, { locationId: loc.id, serviceIds: v.data.serviceIds, email: v.data.email, lang: v.data.lang, beforeAt, now: ctx.now() });
}
