-- Appointments (replaces 0015's version of appt_place_booking): a lost race writes nothing.
-- First a read-only look at the claims keeps only candidates without a visible live claim on the
-- units; when none is left the function answers NULL before the lock and before any INSERT, so
-- the losers of a rush commit read-only transactions (no WAL flush, on PGlite no fsync). A claim
-- that is not yet committed is invisible here; the INSERT … ON CONFLICT below still decides.
-- Otherwise as before: per-e-mail advisory lock + open-bookings limit (SQLSTATE LT422), booking
-- row, all units claimed on the first free candidate (expired claims cleared on demand), returns
-- the workstation, or NULL (nothing left behind) when every candidate was taken meanwhile.
CREATE OR REPLACE FUNCTION appt_place_booking(
  p_id uuid, p_location_id text, p_candidates text[], p_starts timestamptz[],
  p_start_at timestamptz, p_end_at timestamptz, p_units integer, p_service_ids text[],
  p_status text, p_name text, p_email text, p_email_domain text, p_phone text, p_lang text,
  p_source text, p_ip_hash text, p_expires_at timestamptz, p_replaces_id uuid, p_now timestamptz,
  p_limit_email text, p_limit_max integer
) RETURNS text
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  free text[];
  ws text;
  got integer;
  open_count integer;
BEGIN
  SELECT array_agg(t.c ORDER BY t.o) INTO free
    FROM unnest(p_candidates) WITH ORDINALITY AS t(c, o)
    WHERE NOT EXISTS (
      SELECT 1 FROM appt_slot_claims x
      WHERE x.workstation_id = t.c AND x.slot_start = ANY (p_starts) AND (x.expires_at IS NULL OR x.expires_at > p_now));
  IF free IS NULL THEN
    RETURN NULL;
  END IF;
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
    VALUES (p_id, p_location_id, free[1], p_start_at, p_end_at, p_units, p_service_ids, p_status, p_name, p_email, p_email_domain,
      p_phone, p_lang, p_source, p_ip_hash, p_expires_at, p_replaces_id, p_now, CASE WHEN p_status = 'confirmed' THEN p_now END, p_now);
  FOREACH ws IN ARRAY free LOOP
    FOR attempt IN 1..2 LOOP
      -- Waits for a concurrent uncommitted claim of the same unit, then skips it: exactly one wins.
      INSERT INTO appt_slot_claims (workstation_id, slot_start, booking_id, expires_at)
        SELECT ws, u.s, p_id, p_expires_at FROM unnest(p_starts) AS u(s)
        ON CONFLICT DO NOTHING;
      GET DIAGNOSTICS got = ROW_COUNT;
      IF got = cardinality(p_starts) THEN
        IF ws <> free[1] THEN
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
