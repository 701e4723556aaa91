CREATE TABLE "documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"original_filename" text NOT NULL,
	"mime" text NOT NULL,
	"size" bigint NOT NULL,
	"storage_path" text NOT NULL,
	"source" text NOT NULL,
	"kind" text DEFAULT 'unknown' NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"reason" text,
	"pages" integer DEFAULT 0 NOT NULL,
	"ocr" boolean DEFAULT false NOT NULL,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"category" text,
	"department" text,
	"confidence" real,
	"model_version" text,
	"invoice_key" text,
	"duplicate_of" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retention_until" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "documents_sha256_idx" ON "documents" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "documents_status_idx" ON "documents" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "documents_invoice_key_idx" ON "documents" USING btree ("invoice_key") WHERE invoice_key IS NOT NULL;