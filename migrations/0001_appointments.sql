CREATE TABLE "appt_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" text NOT NULL,
	"workstation_id" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"units" integer NOT NULL,
	"service_ids" text[] NOT NULL,
	"status" text NOT NULL,
	"name" text,
	"email" text,
	"email_domain" text,
	"phone" text,
	"lang" text DEFAULT 'de' NOT NULL,
	"source" text DEFAULT 'online' NOT NULL,
	"ip_hash" text,
	"expires_at" timestamp with time zone,
	"replaces_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"reminder_sent_at" timestamp with time zone,
	"status_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "appt_captcha_spent" (
	"signature" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appt_closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appt_locations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/Berlin' NOT NULL,
	"opening_hours" jsonb NOT NULL,
	"holiday_country" text DEFAULT 'DE' NOT NULL,
	"holiday_state" text DEFAULT 'NI' NOT NULL,
	"slot_minutes" integer DEFAULT 10 NOT NULL,
	"window_min_days" integer DEFAULT 1 NOT NULL,
	"window_max_days" integer DEFAULT 60 NOT NULL,
	"lead_minutes" integer DEFAULT 120 NOT NULL,
	"hold_minutes" integer DEFAULT 10 NOT NULL,
	"pending_minutes" integer DEFAULT 60 NOT NULL,
	"max_open_per_email" integer DEFAULT 3 NOT NULL,
	"reminder_hours" integer DEFAULT 24 NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appt_service_settings" (
	"service_id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"slots" integer DEFAULT 1 NOT NULL,
	"bookable" boolean DEFAULT true NOT NULL,
	"bring" text DEFAULT '' NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appt_slot_claims" (
	"workstation_id" text NOT NULL,
	"slot_start" timestamp with time zone NOT NULL,
	"booking_id" uuid NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "appt_slot_claims_workstation_id_slot_start_pk" PRIMARY KEY("workstation_id","slot_start")
);
--> statement-breakpoint
CREATE TABLE "appt_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" text NOT NULL,
	"day" date NOT NULL,
	"number" integer NOT NULL,
	"service_id" text,
	"status" text DEFAULT 'waiting' NOT NULL,
	"workstation_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"called_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "appt_waitlist" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" text NOT NULL,
	"service_ids" text[] NOT NULL,
	"email" text NOT NULL,
	"lang" text DEFAULT 'de' NOT NULL,
	"before_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "appt_workstations" (
	"id" text PRIMARY KEY NOT NULL,
	"location_id" text NOT NULL,
	"name" text NOT NULL,
	"service_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"online" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"feed_token_hash" text,
	"sort" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appt_bookings" ADD CONSTRAINT "appt_bookings_location_id_appt_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."appt_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appt_bookings" ADD CONSTRAINT "appt_bookings_workstation_id_appt_workstations_id_fk" FOREIGN KEY ("workstation_id") REFERENCES "public"."appt_workstations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appt_closures" ADD CONSTRAINT "appt_closures_location_id_appt_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."appt_locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appt_slot_claims" ADD CONSTRAINT "appt_slot_claims_workstation_id_appt_workstations_id_fk" FOREIGN KEY ("workstation_id") REFERENCES "public"."appt_workstations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appt_slot_claims" ADD CONSTRAINT "appt_slot_claims_booking_id_appt_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."appt_bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appt_tickets" ADD CONSTRAINT "appt_tickets_location_id_appt_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."appt_locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appt_waitlist" ADD CONSTRAINT "appt_waitlist_location_id_appt_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."appt_locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appt_workstations" ADD CONSTRAINT "appt_workstations_location_id_appt_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."appt_locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appt_bookings_loc_start_idx" ON "appt_bookings" USING btree ("location_id","start_at");--> statement-breakpoint
CREATE INDEX "appt_bookings_email_idx" ON "appt_bookings" USING btree ("email");--> statement-breakpoint
CREATE INDEX "appt_bookings_status_exp_idx" ON "appt_bookings" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "appt_slot_claims_booking_idx" ON "appt_slot_claims" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "appt_slot_claims_start_idx" ON "appt_slot_claims" USING btree ("slot_start");--> statement-breakpoint
CREATE UNIQUE INDEX "appt_tickets_day_number_uq" ON "appt_tickets" USING btree ("location_id","day","number");