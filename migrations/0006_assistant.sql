CREATE TABLE "assistant_conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"lang" text DEFAULT 'de' NOT NULL,
	"topic_service_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_confidence" real DEFAULT 0 NOT NULL,
	"turns" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistant_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"question_id" uuid NOT NULL,
	"rating" text NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assistant_handovers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"contact" text NOT NULL,
	"preferred_time" text,
	"message" text NOT NULL,
	"topic" text,
	"consent_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delete_after" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text
);
--> statement-breakpoint
CREATE TABLE "assistant_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" text,
	"question" text NOT NULL,
	"lang" text NOT NULL,
	"channel" text NOT NULL,
	"refused" boolean NOT NULL,
	"reason" text,
	"top_service_id" text,
	"top_title" text,
	"confidence" real DEFAULT 0 NOT NULL,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"answer" text NOT NULL,
	"follow_up" boolean DEFAULT false NOT NULL,
	"llm_status" text,
	"llm_detail" text,
	"pii_found" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"versions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assistant_feedback" ADD CONSTRAINT "assistant_feedback_question_id_assistant_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."assistant_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assistant_conversations_expires_idx" ON "assistant_conversations" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "assistant_feedback_question_idx" ON "assistant_feedback" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "assistant_handovers_status_idx" ON "assistant_handovers" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "assistant_questions_created_idx" ON "assistant_questions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "assistant_questions_conversation_idx" ON "assistant_questions" USING btree ("conversation_id");