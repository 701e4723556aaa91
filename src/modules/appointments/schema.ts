import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Opening window of one weekday, local wall-clock time of the location ("HH:MM"). */
export interface OpeningWindow {
  day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  from: string;
  to: string;
}

/** A place where citizens are served (e.g. the Bürgerbüro) with its booking rules. */
export const apptLocations = pgTable('appt_locations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  timeZone: text('time_zone').notNull().default('Europe/Berlin'),
  openingHours: jsonb('opening_hours').$type<OpeningWindow[]>().notNull(),
  /** Holiday region, e.g. DE/NI (date-holidays). */
  holidayCountry: text('holiday_country').notNull().default('DE'),
  holidayState: text('holiday_state').notNull().default('NI'),
  slotMinutes: integer('slot_minutes').notNull().default(10),
  /** Booking window: earliest/latest day ahead (0 = today). */
  windowMinDays: integer('window_min_days').notNull().default(1),
  windowMaxDays: integer('window_max_days').notNull().default(60),
  /** Minimum minutes between booking and appointment start. */
  leadMinutes: integer('lead_minutes').notNull().default(120),
  holdMinutes: integer('hold_minutes').notNull().default(10),
  /** How long a pending (unconfirmed) booking keeps its slot. */
  pendingMinutes: integer('pending_minutes').notNull().default(60),
  maxOpenPerEmail: integer('max_open_per_email').notNull().default(3),
  /** Open bookings per normalised phone number (digits, +49/0049 → 0), when a phone is given. */
  maxOpenPerPhone: integer('max_open_per_phone').notNull().default(3),
  reminderHours: integer('reminder_hours').notNull().default(24),
  demo: boolean('demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A counter (Schalter). Online share = online workstations / all workstations of a location. */
export const apptWorkstations = pgTable('appt_workstations', {
  id: text('id').primaryKey(),
  locationId: text('location_id')
    .notNull()
    .references(() => apptLocations.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** Catalog service ids this counter can serve. */
  serviceIds: text('service_ids').array().notNull().default(sql`'{}'::text[]`),
  /** Bookable online; the others are kept for walk-ins. */
  online: boolean('online').notNull().default(true),
  active: boolean('active').notNull().default(true),
  /** SHA-256 of the secret in the staff iCalendar feed URL. */
  feedTokenHash: text('feed_token_hash'),
  sort: integer('sort').notNull().default(0),
});

export const apptClosures = pgTable('appt_closures', {
  id: uuid('id').primaryKey().defaultRandom(),
  locationId: text('location_id')
    .notNull()
    .references(() => apptLocations.id, { onDelete: 'cascade' }),
  fromDate: date('from_date', { mode: 'string' }).notNull(),
  toDate: date('to_date', { mode: 'string' }).notNull(),
  reason: text('reason').notNull(),
});

/** Booking settings per catalog service id. */
export const apptServiceSettings = pgTable('appt_service_settings', {
  serviceId: text('service_id').primaryKey(),
  /** Fallback title when the catalog does not know the id. */
  title: text('title').notNull(),
  slots: integer('slots').notNull().default(1),
  bookable: boolean('bookable').notNull().default(true),
  bring: text('bring').notNull().default(''),
  sort: integer('sort').notNull().default(0),
});

export const apptBookings = pgTable(
  'appt_bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    locationId: text('location_id')
      .notNull()
      .references(() => apptLocations.id),
    workstationId: text('workstation_id')
      .notNull()
      .references(() => apptWorkstations.id),
    startAt: timestamp('start_at', { withTimezone: true }).notNull(),
    endAt: timestamp('end_at', { withTimezone: true }).notNull(),
    units: integer('units').notNull(),
    serviceIds: text('service_ids').array().notNull(),
    /** held → pending → confirmed → arrived → done | noshow; cancelled / expired end it. */
    status: text('status').notNull(),
    name: text('name'),
    email: text('email'),
    emailDomain: text('email_domain'),
    phone: text('phone'),
    /** Normalised phone (digits only, +49/0049 → 0) for the open-bookings limit and pattern view. */
    phoneKey: text('phone_key'),
    lang: text('lang').notNull().default('de'),
    source: text('source').notNull().default('online'),
    /** Salted SHA-256 of the client IP (pattern detection without storing the IP). */
    ipHash: text('ip_hash'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Booking this one replaces (reschedule); cancelled on confirmation. */
    replacesId: uuid('replaces_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    statusAt: timestamp('status_at', { withTimezone: true }),
  },
  (t) => [
    index('appt_bookings_loc_start_idx').on(t.locationId, t.startAt),
    index('appt_bookings_email_idx').on(t.email),
    index('appt_bookings_phone_key_idx').on(t.phoneKey),
    index('appt_bookings_status_exp_idx').on(t.status, t.expiresAt),
  ],
);

/**
 * One row per occupied slot unit of a workstation. The primary key makes a double
 * booking impossible in the database itself, across transactions and app instances.
 * `expires_at` is set while a booking is only held/pending; an expired row is deleted
 * lazily by the next claim and by the expiry job.
 */
export const apptSlotClaims = pgTable(
  'appt_slot_claims',
  {
    workstationId: text('workstation_id')
      .notNull()
      .references(() => apptWorkstations.id, { onDelete: 'cascade' }),
    slotStart: timestamp('slot_start', { withTimezone: true }).notNull(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => apptBookings.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.workstationId, t.slotStart] }), index('appt_slot_claims_booking_idx').on(t.bookingId), index('appt_slot_claims_start_idx').on(t.slotStart)],
);

export const apptWaitlist = pgTable('appt_waitlist', {
  id: uuid('id').primaryKey().defaultRandom(),
  locationId: text('location_id')
    .notNull()
    .references(() => apptLocations.id, { onDelete: 'cascade' }),
  serviceIds: text('service_ids').array().notNull(),
  email: text('email').notNull(),
  lang: text('lang').notNull().default('de'),
  /** Wants a slot earlier than this. */
  beforeAt: timestamp('before_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  notifiedAt: timestamp('notified_at', { withTimezone: true }),
});

/** Walk-in queue tickets, numbered per location and day. */
export const apptTickets = pgTable(
  'appt_tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    locationId: text('location_id')
      .notNull()
      .references(() => apptLocations.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    number: integer('number').notNull(),
    serviceId: text('service_id'),
    /** waiting → called → done | gone */
    status: text('status').notNull().default('waiting'),
    workstationId: text('workstation_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    calledAt: timestamp('called_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('appt_tickets_day_number_uq').on(t.locationId, t.day, t.number)],
);

/** Spent proof-of-work challenges (replay protection). */
export const apptCaptchaSpent = pgTable('appt_captcha_spent', {
  signature: text('signature').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
