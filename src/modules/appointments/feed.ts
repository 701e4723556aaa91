import ical from 'ical-generator';
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import * as repo from './repository.ts';
import { getSetup, serviceTitle } from './rules.ts';
import { sha256 } from './security.ts';

/**
 * iCalendar feed of one workstation for staff calendars. Secured by a per-workstation token
 * (rotated in the settings); events carry only time, services and status, no citizen data.
 */
export async function feedIcs(ctx: AppContext, workstationId: string, token: string | undefined): Promise<string> {
  const setup = await getSetup(ctx);
  const ws = setup.workstations.find((w) => w.id === workstationId);
  const given = Buffer.from(sha256(token ?? ''));
  if (!ws || !ws.feedTokenHash || !timingSafeEqual(given, Buffer.from(ws.feedTokenHash))) throw new AppError('gone', 'Der Kalender-Link ist ungültig oder wurde erneuert.');
  const loc = setup.locations.find((l) => l.id === ws.locationId)!;
  const cal = ical({ name: `${loc.name} – ${ws.name}`, prodId: { company: 'Lotse', product: 'Termine', language: 'DE' } });
  for (const b of await repo.bookingsForWorkstation(ctx.db, ws.id, new Date(ctx.now().getTime() - 7 * 86400_000))) {
    cal.createEvent({
      id: `${b.id}@lotse`,
      start: b.startAt,
      end: b.endAt,
      summary: `${b.status === 'pending' ? '(unbestätigt) ' : ''}${b.serviceIds.map((s) => serviceTitle(setup, s)).join(', ')}`,
      location: `${loc.name}, ${ws.name}`,
    });
  }
  return cal.toString();
}
