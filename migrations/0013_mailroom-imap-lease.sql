ALTER TABLE "mailroom_mailboxes" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "mailroom_mailboxes" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mailroom_mailboxes" ADD COLUMN "idle_supported" boolean;