CREATE TABLE "triage_examples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"model_name" text NOT NULL,
	"external_id" text,
	"subject" text,
	"text" text NOT NULL,
	"category" text NOT NULL,
	"source" text DEFAULT 'import' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triage_models" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"categories" jsonb NOT NULL,
	"thresholds" jsonb NOT NULL,
	"target_precision" double precision NOT NULL,
	"figures" jsonb NOT NULL,
	"training_rows" integer NOT NULL,
	"model" jsonb NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE INDEX "triage_examples_model_idx" ON "triage_examples" USING btree ("model_name","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "triage_models_name_version_uq" ON "triage_models" USING btree ("name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "triage_models_one_active_uq" ON "triage_models" USING btree ("name") WHERE "triage_models"."active";