#!/usr/bin/env bash
# The main job end to end on the embedded default (DuckDB + SQLite):
# generate a city -> analyse it -> evaluate against its truth -> keep the register and an
# inspection plan in the store -> print where everything is and how to start the UI.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO="${1:-demo}"
PERSONS="${2:-1100000}"
ZW="${ZW:-.venv/bin/zonewatch}"
mkdir -p "$DEMO"
DEMO="$(cd "$DEMO" && pwd)"
STORE="sqlite:///$DEMO/store.sqlite"

echo "== 1/6 generate a city of $PERSONS persons with planted fraud"
$ZW generate --out "$DEMO/city" --persons "$PERSONS" --seed 7

echo "== 2/6 analyse it (ingest with quarantine, indicators, scoring, networks)"
$ZW analyze "$DEMO/city/extract" --out "$DEMO/run"

echo "== 3/6 evaluate against the planted truth and the police baselines"
$ZW evaluate "$DEMO/run" --labels "$DEMO/city/labels" --extract "$DEMO/city/extract"

echo "== 4/6 the store: migrations, the seeded register, demo users"
$ZW db upgrade --store "$STORE"
$ZW register seed --store "$STORE"
$ZW register add-run "$DEMO/run" --store "$STORE"
# read the list once: `users list | grep -q` would end the list early, and under pipefail
# the pipe's failure read as "missing", so a second run tried to add the users again
USERS="$($ZW users list --store "$STORE")"
for role in admin analyst inspector auditor; do
  if ! grep -qw "$role" <<<"$USERS"; then
    $ZW users add "$role" --role "$role" --password "$role-demo" --store "$STORE"
  fi
done

echo "== 5/6 an inspection plan: 4 teams, 5 days, 8 visits a day"
$ZW plan "$DEMO/run" --teams 4 --days 5 --visits-per-day 8 --inspector 1:inspector --store "$STORE"

echo "== 6/6 done"
cat <<EOT
Results:   $DEMO/run/ (properties_ranked.csv, owners_ranked.csv, officials_ranked.csv,
           networks.csv, evidence.csv, ingest_report.json, run.json)
Truth:     $DEMO/city/labels/
Store:     $STORE
Web UI:    $ZW serve --run $DEMO/run --store $STORE   then open http://127.0.0.1:8000/
Logins:    admin/admin-demo, analyst/analyst-demo, inspector/inspector-demo, auditor/auditor-demo
EOT
if [ "${SERVE:-0}" = 1 ]; then
  exec $ZW serve --run "$DEMO/run" --store "$STORE"
fi
