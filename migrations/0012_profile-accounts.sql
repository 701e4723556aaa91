CREATE TABLE "profile_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"consent_version" text NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"profile" jsonb,
	"profile_updated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_accounts_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "profile_login_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "profile_sessions" ADD CONSTRAINT "profile_sessions_account_id_profile_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."profile_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "profile_accounts_last_used_idx" ON "profile_accounts" USING btree ("last_used_at");--> statement-breakpoint
CREATE INDEX "profile_login_tokens_expires_idx" ON "profile_login_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "profile_sessions_account_idx" ON "profile_sessions" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "profile_sessions_expires_idx" ON "profile_sessions" USING btree ("expires_at");