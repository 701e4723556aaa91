CREATE TABLE "insights_aggregated_days" (
	"source" text NOT NULL,
	"day" date NOT NULL,
	"pairs" integer DEFAULT 0 NOT NULL,
	"aggregated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insights_aggregated_days_source_day_pk" PRIMARY KEY("source","day")
);
--> statement-breakpoint
CREATE TABLE "service_co_use" (
	"service_a" text NOT NULL,
	"service_b" text NOT NULL,
	"month" date NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "service_co_use_service_a_service_b_month_pk" PRIMARY KEY("service_a","service_b","month"),
	CONSTRAINT "service_co_use_order_ck" CHECK ("service_co_use"."service_a" < "service_co_use"."service_b")
);
--> statement-breakpoint
CREATE INDEX "service_co_use_b_idx" ON "service_co_use" USING btree ("service_b","month");