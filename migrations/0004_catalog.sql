CREATE TABLE "catalog_life_situations" (
	"slug" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"title_en" text,
	"intro" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_locations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"opening_hours" text,
	"contact" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"demo" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_service_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"service_id" text NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"data" jsonb NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_service_life_situations" (
	"service_id" text NOT NULL,
	"slug" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "catalog_service_life_situations_service_id_slug_pk" PRIMARY KEY("service_id","slug")
);
--> statement-breakpoint
CREATE TABLE "catalog_service_locations" (
	"service_id" text NOT NULL,
	"location_id" text NOT NULL,
	"booking_url" text,
	CONSTRAINT "catalog_service_locations_service_id_location_id_pk" PRIMARY KEY("service_id","location_id")
);
--> statement-breakpoint
CREATE TABLE "catalog_services" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"leika" text,
	"url" text,
	"description_html" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fees" text,
	"processing_time" text,
	"legal_basis" text,
	"department" text,
	"online_url" text,
	"bookable" boolean DEFAULT false NOT NULL,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"easy_language" text,
	"attribution" text,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"internal" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"draft" jsonb,
	"source_format" text DEFAULT 'lotse' NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "catalog_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_synonyms" (
	"term" text PRIMARY KEY NOT NULL,
	"expansions" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
ALTER TABLE "catalog_service_life_situations" ADD CONSTRAINT "catalog_service_life_situations_service_id_catalog_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalog_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_service_life_situations" ADD CONSTRAINT "catalog_service_life_situations_slug_catalog_life_situations_slug_fk" FOREIGN KEY ("slug") REFERENCES "public"."catalog_life_situations"("slug") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_service_locations" ADD CONSTRAINT "catalog_service_locations_service_id_catalog_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalog_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_service_locations" ADD CONSTRAINT "catalog_service_locations_location_id_catalog_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."catalog_locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_history_service_idx" ON "catalog_service_history" USING btree ("service_id","id");--> statement-breakpoint
CREATE INDEX "catalog_services_title_idx" ON "catalog_services" USING btree ("title");