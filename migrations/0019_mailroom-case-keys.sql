CREATE TABLE "mailroom_case_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"document_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"outbox_id" uuid,
	"recipient_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "mailroom_case_keys_document_idx" ON "mailroom_case_keys" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "mailroom_case_keys_recipient_idx" ON "mailroom_case_keys" USING btree ("recipient_hash","created_at");