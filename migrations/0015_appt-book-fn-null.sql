-- Appointments (replaces 0014's version): a lost race answers NULL instead of raising.
-- One database round trip per booking. appt_place_booking takes the per-e-mail
-- advisory lock, checks the open-bookings limit, inserts the booking and claims all its slot
-- units on the first candidate workstation that has them free (expired claims are cleared on
-- demand, further candidates tried in order). It RAISEs (whole statement/transaction rolls back)
-- with SQLSTATE LT422 when the e-mail limit is reached. Returns the workstation it claimed, or
-- NULL when no candidate is free (then nothing of the booking is left). Every statement inside takes a fresh snapshot (VOLATILE,
-- READ COMMITTED), so the limit count sees what committed before the lock was granted.
CREATE OR REPLACE FUNCTION appt_place_booking(
  p_id uuid, p_location_id text, p_candidates text[], p_starts timestamptz[],
  p_start_at timestamptz, p_end_at timestamptz, p_units integer, p_service_ids text[],
  p_status text, p_name text, p_email text, p_email_domain text, p_phone text, p_lang text,
  p_source text, p_ip_hash text, p_expires_at timestamptz, p_replaces_id uuid, p_now timestamptz,
  p_limit_email text, p_limit_max integer
) RETURNS text
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  ws text;
  got integer;
  open_count integer;
BEGIN
  IF p_limit_email IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('appt:' || p_limit_email));
    SELECT count(*) INTO open_count FROM appt_bookings
      WHERE email = p_limit_email AND end_at > p_now
        AND (status = 'confirmed' OR (status IN ('held', 'pending') AND expires_at > p_now));
    IF open_count >= p_limit_max THEN
      RAISE EXCEPTION 'appt_email_limit' USING ERRCODE = 'LT422';
    END IF;
  END IF;
  INSERT INTO appt_bookings (id, location_id, workstation_id, start_at, end_at, units, service_ids, status, name, email, email_domain,
      phone, lang, source, ip_hash, expires_at, replaces_id, created_at, confirmed_at, status_at)
    VALUES (p_id, p_location_id, p_candidates[1], p_start_at, p_end_at, p_units, p_service_ids, p_status, p_name, p_email, p_email_domain,
      p_phone, p_lang, p_source, p_ip_hash, p_expires_at, p_replaces_id, p_now, CASE WHEN p_status = 'confirmed' THEN p_now END, p_now);
  FOREACH ws IN ARRAY p_candidates LOOP
    FOR attempt IN 1..2 LOOP
      -- Waits for a concurrent uncommitted claim of the same unit, then skips it: exactly one wins.
      INSERT INTO appt_slot_claims (workstation_id, slot_start, booking_id, expires_at)
        SELECT ws, u.s, p_id, p_expires_at FROM unnest(p_starts) AS u(s)
        ON CONFLICT DO NOTHING;
      GET DIAGNOSTICS got = ROW_COUNT;
      IF got = cardinality(p_starts) THEN
        IF ws <> p_candidates[1] THEN
          UPDATE appt_bookings SET workstation_id = ws WHERE id = p_id;
        END IF;
        RETURN ws;
      END IF;
      IF got > 0 THEN
        DELETE FROM appt_slot_claims WHERE booking_id = p_id AND workstation_id = ws;
      END IF;
      EXIT WHEN attempt = 2;
      -- Lazy expiry: a stale hold never blocks. Nothing expired = the units are really taken.
      DELETE FROM appt_slot_claims
        WHERE workstation_id = ws AND slot_start = ANY (p_starts) AND expires_at IS NOT NULL AND expires_at <= p_now;
      EXIT WHEN NOT FOUND;
    END LOOP;
  END LOOP;
  -- No candidate free: undo the own booking row (its partial claims are gone already) and answer
  -- NULL instead of raising, so a lost race is no ERROR in the server log and the caller's
  -- transaction stays usable.
  DELETE FROM appt_bookings WHERE id = p_id;
  RETURN NULL;
END
$fn$;
