#!/usr/bin/env bash
# Installs and starts what the tests need on a Debian machine (idempotent):
# chromium, tesseract (deu), dovecot, poppler; PostgreSQL 15 with role lotse and database lotse_test.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v tesseract >/dev/null || need+=(tesseract-ocr tesseract-ocr-deu)
[ -f /usr/share/tesseract-ocr/5/tessdata/deu.traineddata ] || need+=(tesseract-ocr-deu)
command -v dovecot >/dev/null || need+=(dovecot-imapd)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installiere Debian-Pakete: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Fehlende Pakete (bitte als root installieren): ${need[*]}" >&2
    exit 1
  fi
fi
if [ -z "${LOTSE_TEST_DATABASE_URL:-}" ]; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster 15 main start 2>/dev/null || true
    for i in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
    su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='lotse'\"" | grep -q 1 ||
      su postgres -c "psql -q -c \"CREATE ROLE lotse LOGIN PASSWORD 'lotse' SUPERUSER\""
    su postgres -c "createdb -O lotse lotse_test" 2>/dev/null || true
  else
    echo "PostgreSQL fehlt: setzen Sie LOTSE_TEST_DATABASE_URL auf eine erreichbare Datenbank." >&2
    exit 1
  fi
fi
