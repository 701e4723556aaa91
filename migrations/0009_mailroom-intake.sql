CREATE TABLE "mailroom_imap_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mailbox_id" integer NOT NULL,
	"message_key" text NOT NULL,
	"sha256" text NOT NULL,
	"document_id" bigint,
	"uid" bigint NOT NULL,
	"state" text DEFAULT 'stored' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mailroom_mailboxes" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer DEFAULT 993 NOT NULL,
	"secure" boolean DEFAULT true NOT NULL,
	"username" text NOT NULL,
	"password_env" text,
	"password" text,
	"folder" text DEFAULT 'INBOX' NOT NULL,
	"processed_folder" text DEFAULT 'Lotse/Verarbeitet' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"uid_validity" bigint,
	"last_uid" bigint DEFAULT 0 NOT NULL,
	"last_poll_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "mailroom_imap_messages_key_idx" ON "mailroom_imap_messages" USING btree ("message_key");--> statement-breakpoint
CREATE UNIQUE INDEX "mailroom_mailboxes_name_idx" ON "mailroom_mailboxes" USING btree ("name");