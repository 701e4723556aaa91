ALTER TABLE "appt_bookings" ADD COLUMN "phone_key" text;--> statement-breakpoint
ALTER TABLE "appt_locations" ADD COLUMN "max_open_per_phone" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
CREATE INDEX "appt_bookings_phone_key_idx" ON "appt_bookings" USING btree ("phone_key");