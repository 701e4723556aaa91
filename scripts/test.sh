#!/usr/bin/env bash
# The one test command (`npm test`, also run by .ci/run): unit + medium tests on PGlite,
# medium tests again on a real PostgreSQL, browser e2e with axe; ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
REPORTS=.test-artifacts
rm -rf "$REPORTS"; mkdir -p "$REPORTS"

bash scripts/test-env.sh || { echo "Test-Umgebung konnte nicht vorbereitet werden"; echo "0 passed, 1 failed"; exit 1; }
export LOTSE_TEST_DATABASE_URL=${LOTSE_TEST_DATABASE_URL:-postgresql://lotse:lotse@127.0.0.1:5432/lotse_test}

echo "== Unit- und Datenbanktests (PGlite)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/pglite.json" || true

echo "== Datenbanktests (PostgreSQL)"
LOTSE_TEST_DB=postgres npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/postgres.json" || true

echo "== Browser-Tests mit axe (WCAG 2.1 AA)"
npx vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="$REPORTS/e2e.json" || true

node scripts/vitest-summary.mjs "$REPORTS/pglite.json" "$REPORTS/postgres.json" "$REPORTS/e2e.json"
