-- Audit log is append-only, also for anyone with plain SQL access: UPDATE, DELETE and TRUNCATE
-- raise an error. (Someone with owner rights can still disable the trigger; `lotse audit verify`
-- then detects the change through the hash chain.)
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION audit_log