#!/usr/bin/env bash
# Runs the whole test suite on real components: DuckDB, PostgreSQL, Spark, Chromium.
# Starts what is missing (PostgreSQL, the Chromium package) before pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

# PostgreSQL on 127.0.0.1:5432 (the store's tests run on it as well as on SQLite).
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
export ZONEWATCH_TEST_PG_URL="${ZONEWATCH_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"

# Headless Chromium for the browser tests (Debian's package; no browser download).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium install failed" >&2
fi

# DejaVu Sans for the PDF products (Cyrillic and Kazakh letters); Debian's package.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ "$(id -u)" = 0 ] \
    && command -v apt-get >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq fonts-dejavu-core >/dev/null) \
    || echo "fonts-dejavu-core install failed" >&2
fi

$BIN/ruff check src tests benchmarks
$BIN/python -m pytest -q "$@"
