ALTER TABLE "outbox" ADD COLUMN "transport" text;--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_singleton_active_idx" ON "jobs" USING btree ("singleton_key") WHERE status IN ('queued', 'running') AND singleton_key IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_status_idx" ON "outbox" USING btree ("status","created_at");