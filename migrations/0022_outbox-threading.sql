ALTER TABLE "outbox" ADD COLUMN "in_reply_to" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "reference_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;