#!/usr/bin/env bash
# Times `roster users import` of 1,000 rows into a SAML and into a CONNECT_MANAGED
# instance, submit to result, on the embedded store and (when
# ROSTER_TEST_DATABASE_URL names a PostgreSQL server it may create databases on) on
# PostgreSQL. Needs a release build (`cargo build --release -p roster`), the AWS CLI
# and python3.
#
#   ./scripts/bench-import.sh   # ROSTER_BIN=path/to/roster, ROWS=1000, KINDS="SAML CONNECT_MANAGED"
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${ROSTER_BIN:-$ROOT/target/release/roster}
ROWS=${ROWS:-1000}
AWS=${AWS:-aws}
[ -x "$BIN" ] || { echo "no $BIN: cargo build --release -p roster" >&2; exit 1; }

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
WORK=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The file: ROWS users, with passwords when $1 is "passwords".
make_csv() {
  python3 - "$ROWS" "$1" <<'EOF'
import sys
rows, passwords = int(sys.argv[1]), sys.argv[2] == "passwords"
print("first name,last name,email address,secondary email address,mobile,password,user login,"
      "routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),"
      "phone number,soft phone auto accept (yes/no),ACW timeout (seconds)")
for i in range(rows):
    pw = f"Secret{i:04d}x" if passwords else ""
    desk = ("desk", f"+1206555{i:04d}") if i % 3 == 0 else ("soft", "")
    print(f"First{i},Last{i},agent{i}@example.com,,+4477009{i:05d},{pw},agent.{i:04d},"
          f"Basic Routing Profile,Agent|CallCenterManager,{desk[0]},{desk[1]},{'yes' if i % 2 else 'no'},{i % 60}")
EOF
}

start_server() {
  local out="$WORK/server.out"
  : >"$out"
  "$BIN" serve --listen 127.0.0.1:0 --data "$WORK/data-$1" --max-users-per-instance 100000 \
    "${@:2}" >"$out" 2>"$WORK/server-$1.log" &
  SERVER=$!
  for _ in $(seq 100); do
    ENDPOINT=$(sed -n 's/^roster listening on //p' "$out")
    [ -n "$ENDPOINT" ] && return
    sleep 0.1
  done
  echo "the server did not start" >&2; exit 1
}

stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }

instance() {
  "$AWS" connect --endpoint-url "$ENDPOINT" create-instance --identity-management-type "$1" \
    --instance-alias "bulk-$(echo "$1" | tr 'A-Z_' 'a-z-')-$RANDOM" \
    --inbound-calls-enabled --outbound-calls-enabled --query Id --output text
}

time_import() {
  local t0 t1
  t0=$(date +%s%N)
  "$BIN" users import --endpoint "$ENDPOINT" --instance-id "$1" "$2" >/dev/null 2>"$WORK/import.err" \
    || { cat "$WORK/import.err" >&2; exit 1; }
  t1=$(date +%s%N)
  printf '%-8s %-16s %5d rows  %7.3f s  %s\n' "$BACKEND" "$3" "$ROWS" \
    "$(echo "($t1 - $t0) / 1000000000" | bc -l)" "$(tail -1 "$WORK/import.err")"
}

make_csv none >"$WORK/saml.csv"
make_csv passwords >"$WORK/managed.csv"
echo "cores: $(nproc)"

run() {
  for kind in ${KINDS:-SAML CONNECT_MANAGED}; do
    case $kind in
      SAML) time_import "$(instance SAML)" "$WORK/saml.csv" SAML ;;
      CONNECT_MANAGED) time_import "$(instance CONNECT_MANAGED)" "$WORK/managed.csv" CONNECT_MANAGED ;;
    esac
  done
}

BACKEND=sqlite
start_server sqlite
run
stop_server

if [ -n "${ROSTER_TEST_DATABASE_URL:-}" ]; then
  BACKEND=postgres
  DB="roster_bench_import_$$"
  ADMIN=$ROSTER_TEST_DATABASE_URL
  psql "$ADMIN" -qc "CREATE DATABASE $DB" >/dev/null
  start_server postgres --database-url "${ADMIN%/*}/$DB"
  run
  stop_server
  psql "$ADMIN" -qc "DROP DATABASE $DB" >/dev/null
fi
