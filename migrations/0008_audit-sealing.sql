ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain_pos" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_chain_pos_idx" ON "audit_log" USING btree ("chain_pos");--> statement-breakpoint
CREATE INDEX "audit_unsealed_idx" ON "audit_log" USING btree ("seq") WHERE chain_pos IS NULL;--> statement-breakpoint
-- Entries are now sealed after commit: the one UPDATE still allowed sets chain_pos, prev_hash
-- and hash of an unsealed entry, once, without touching anything else.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.chain_pos IS NULL AND OLD.hash IS NULL
     AND NEW.chain_pos IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
     AND (NEW.seq, NEW.at, NEW.actor_type, NEW.actor_id, NEW.action, NEW.object_type, NEW.object_id, NEW.summary, NEW.request_id)
         IS NOT DISTINCT FROM (OLD.seq, OLD.at, OLD.actor_type, OLD.actor_id, OLD.action, OLD.object_type, OLD.object_id, OLD.summary, OLD.request_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log ist nur fortschreibbar: % ist nicht erlaubt', TG_OP USING ERRCODE = '42501';
END
$$;
--> statement-breakpoint
-- Entries written before this migration used the earlier inline chain; they are sealed again
-- with the new link formula (installations were pre-release when this changed).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
UPDATE audit_log SET prev_hash = NULL, hash = NULL;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
-- seq was assigned explicitly before; from now on the sequence does it.
SELECT setval(pg_get_serial_sequence('audit_log', 'seq'), (SELECT coalesce(max(seq), 0) + 1 FROM audit_log), false);
