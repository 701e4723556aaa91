-- Appointments (replaces 0018's appt_place_booking, new signature):
-- 1. Database clock for holds: every expiry decision (read-only pre-check, open-bookings count,
--    lazy clearing of expired claims) compares with the database's now(), never with the calling
--    instance's clock, so an app instance whose clock runs ahead cannot free another instance's
--    still-valid hold. p_expire_minutes (holds) stamps expires_at = now() + minutes in the database;
--    otherwise p_expires_at is taken as given (pending bookings; NULL = no expiry).
-- 2. Open-bookings limit per normalised phone number (p_phone_key, digits only, +49/0049 -> 0):
--    advisory lock after the e-mail lock (fixed order, no deadlock), SQLSTATE LT423 when reached.
--    The e-mail limit keeps SQLSTATE LT422. phone_key is stored with the booking.
DROP FUNCTION IF EXISTS appt_place_booking(uuid, text, text[], timestamptz[], timestamptz, timestamptz, integer, text[], text, text, text, text, text, text,
  text, text, timestamptz, uuid, timestamptz, text, integer);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION appt_place_booking(
  p_id uuid, p_location_id text, p_candidates text[], p_starts timestamptz[],
  p_start_at timestamptz, p_end_at timestamptz, p_units integer, p_service_ids text[],
  p_status text, p_name text, p_email text, p_email_domain text, p_phone text, p_phone_key text, p_lang text,
  p_source text, p_ip_hash text, p_expires_at timestamptz, p_expire_minutes integer, p_replaces_id uuid, p_now timestamptz,
  p_limit_email text, p_limit_max integer, p_limit_phone text, p_limit_phone_max integer
) RETURNS text
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  free text[];
  ws text;
  got integer;
  open_count integer;
  v_exp timestamptz;
BEGIN
  SELECT array_agg(t.c ORDER BY t.o) INTO free
    FROM unnest(p_candidates) WITH ORDINALITY AS t(c, o)
    WHERE NOT EXISTS (
      SELECT 1 FROM appt_slot_claims x
      WHERE x.workstation_id = t.c AND x.slot_start = ANY (p_starts) AND (x.expires_at IS NULL OR x.expires_at > now()));
  IF free IS NULL THEN
    RETURN NULL;
  END IF;
  IF p_limit_email IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('appt:' || p_limit_email));
    SELECT count(*) INTO open_count FROM appt_bookings
      WHERE email = p_limit_email AND end_at > p_now
        AND (status = 'confirmed' OR (status IN ('held', 'pending') AND expires_at > now()));
    IF open_count >= p_limit_max THEN
      RAISE EXCEPTION 'appt_email_limit' USING ERRCODE = 'LT422';
    END IF;
  END IF;
  IF p_limit_phone IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('appt:tel:' || p_limit_phone));
    SELECT count(*) INTO open_count FROM appt_bookings
      WHERE phone_key = p_limit_phone AND end_at > p_now
        AND (status = 'confirmed' OR (status IN ('held', 'pending') AND expires_at > now()));
    IF open_count >= p_limit_phone_max THEN
      RAISE EXCEPTION 'appt_phone_limit' USING ERRCODE = 'LT423';
    END IF;
  END IF;
  v_exp := CASE WHEN p_expire_minutes IS NOT NULL THEN now() + make_interval(mins => p_expire_minutes) ELSE p_expires_at END;
  INSERT INTO appt_bookings (id, location_id, workstation_id, start_at, end_at, units, service_ids, status, name, email, email_domain,
      phone, phone_key, lang, source, ip_hash, expires_at, replaces_id, created_at, confirmed_at, status_at)
    VALUES (p_id, p_location_id, free[1], p_start_at, p_end_at, p_units, p_service_ids, p_status, p_name, p_email, p_email_domain,
      p_phone, p_phone_key, p_lang, p_source, p_ip_hash, v_exp, p_replaces_id, p_now, CASE WHEN p_status = 'confirmed' THEN p_now END, p_now);
  FOREACH ws IN ARRAY free LOOP
    FOR attempt IN 1..2 LOOP
      -- Waits for a concurrent uncommitted claim of the same unit, then skips it: exactly one wins.
      INSERT INTO appt_slot_claims (workstation_id, slot_start, booking_id, expires_at)
        SELECT ws, u.s, p_id, v_exp FROM unnest(p_starts) AS u(s)
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
      -- Lazy expiry by the database clock: a stale hold never blocks, a valid one is never freed.
      DELETE FROM appt_slot_claims
        WHERE workstation_id = ws AND slot_start = ANY (p_starts) AND expires_at IS NOT NULL AND expires_at <= now();
      EXIT WHEN NOT FOUND;
    END LOOP;
  END LOOP;
  DELETE FROM appt_bookings WHERE id = p_id;
  RETURN NULL;
END
$fn$;
