#!/usr/bin/env bash
# The PostgreSQL store beside the embedded one, in one run (docs/performance.md,
# "PostgreSQL with two processes"):
#
#  1. creates a database of its own on the PostgreSQL server at BENCH_DATABASE_URL
#     (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres);
#  2. starts two roster processes on it (strict SigV4, with the bench's key) and runs
#     `roster-bench ops` with the load spread over both (--spread): DescribeUser at 16
#     clients, CreateUser in a SAML instance at 64;
#  3. the same scenarios against one spawned roster on the embedded store;
#  4. `roster-bench search` at BENCH_SEARCH_USERS users (default 10000) with one worker,
#     against the first PostgreSQL process and against a spawned embedded store;
#  5. stops the processes and drops the database.
#
# BENCH_PARTS="ops search" (the default) picks the parts 2-3 (ops) and 4 (search);
# BENCH_SCENARIOS the ops scenarios (default describe-user,create-user-saml).
# Output and JSON go to target/bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."

ADMIN="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
USERS="${BENCH_USERS:-10000}"
SEARCH_USERS="${BENCH_SEARCH_USERS:-10000}"
PARTS="${BENCH_PARTS:-ops search}"
SCENARIOS="${BENCH_SCENARIOS:-describe-user,create-user-saml}"
DURATION="${BENCH_DURATION:-10s}"
OUT=target/bench-results
mkdir -p "$OUT"

cargo build --release -p roster -p roster-bench
ROSTER=./target/release/roster
BENCH=./target/release/roster-bench

DB="roster_bench_$$"
BASE="${ADMIN%/*}"
URL="$BASE/$DB"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  psql "$ADMIN" -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

psql "$ADMIN" -q -c "CREATE DATABASE $DB"
cat > "$WORK/credentials.toml" <<'EOF'
[[credentials]]
access_key_id = "AKIDROSTERBENCH"
secret_access_key = "roster-bench-secret"
account_id = "111122223333"
EOF

# Starts one roster process on the database; its endpoint goes to $WORK/endpoint-NAME.
start() {
  local log="$WORK/roster-$1.log"
  ROSTER_LOG=warn "$ROSTER" serve --listen 127.0.0.1:0 --database-url "$URL" \
    --auth strict --credentials "$WORK/credentials.toml" \
    --max-users-per-instance 100000000 >"$WORK/out-$1" 2>"$log" &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    if grep -q "roster listening on " "$WORK/out-$1"; then
      sed -n 's/^roster listening on //p' "$WORK/out-$1" | head -1 >"$WORK/endpoint-$1"
      return
    fi
    sleep 0.1
  done
  echo "roster process $1 did not start; its log:" >&2
  cat "$log" >&2
  exit 1
}
start a
start b
A="$(cat "$WORK/endpoint-a")"
B="$(cat "$WORK/endpoint-b")"
echo "two roster processes on $(echo "$URL" | sed 's#//[^@]*@#//#'): $A $B"

if [[ " $PARTS " == *" ops "* ]]; then
"$BENCH" ops --endpoint "$A" --spread "$A,$B" --server-pid "${PIDS[0]}" \
  --users "$USERS" --scenarios "$SCENARIOS" \
  --concurrency 16 --create-concurrency 64 --duration "$DURATION" --warmup 2s \
  --json "$OUT/postgres-ops.json" | tee "$OUT/postgres-ops.log"

"$BENCH" ops --spawn "$ROSTER" --auth strict --no-startup \
  --users "$USERS" --scenarios "$SCENARIOS" \
  --concurrency 16 --create-concurrency 64 --duration "$DURATION" --warmup 2s \
  --json "$OUT/sqlite-ops.json" | tee "$OUT/sqlite-ops.log"
fi

if [[ " $PARTS " == *" search "* ]]; then
"$BENCH" search --endpoint "$A" --users "$SEARCH_USERS" --concurrency 1 \
  --duration "$DURATION" --json "$OUT/postgres-search.json" | tee "$OUT/postgres-search.log"

"$BENCH" search --spawn "$ROSTER" --users "$SEARCH_USERS" --concurrency 1 \
  --duration "$DURATION" --json "$OUT/sqlite-search.json" | tee "$OUT/sqlite-search.log"
fi
