#!/usr/bin/env bash
# DescribeInstance throughput of roster against moto's server (moto[server] from PyPI),
# the one operation of the user-management API both implement. Each is measured alone
# with the same client settings (`roster-bench ops --scenarios describe-instance`), one
# after the other, on 127.0.0.1; the ratio roster / moto is printed at the end.
#
#   ./scripts/bench-moto.sh                    # 16 clients, 10 s
#   BENCH_CONCURRENCY=4 BENCH_DURATION=5s ./scripts/bench-moto.sh
#
# moto is installed into target/bench-moto-venv on first use (MOTO_VERSION, default
# 5.2.5). Results are written to target/bench-results/moto-*.json.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
CONCURRENCY="${BENCH_CONCURRENCY:-16}"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-2s}"
VENV=target/bench-moto-venv
OUT=target/bench-results
mkdir -p "$OUT"

cargo build --release -p roster -p roster-bench

if [ ! -x "$VENV/bin/moto_server" ] || ! "$VENV/bin/pip" show moto 2>/dev/null | grep -qx "Version: $MOTO_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" > "$OUT/moto-server.log" 2>&1 &
MOTO_PID=$!
trap 'kill "$MOTO_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if "$VENV/bin/python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
echo "moto $MOTO_VERSION (pid $MOTO_PID) on http://127.0.0.1:$PORT"

COMMON=(--scenarios describe-instance --users 0 --no-baseline --no-startup
        --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP")

echo "== moto"
./target/release/roster-bench ops --endpoint "http://127.0.0.1:$PORT" --server-pid "$MOTO_PID" \
  "${COMMON[@]}" --json "$OUT/moto-describe-instance.json"
kill "$MOTO_PID"
wait "$MOTO_PID" 2>/dev/null || true
trap - EXIT

echo "== roster (SigV4 verified in strict mode)"
./target/release/roster-bench ops --spawn ./target/release/roster --auth strict \
  "${COMMON[@]}" --json "$OUT/roster-describe-instance.json"

"$VENV/bin/python" - "$OUT/moto-describe-instance.json" "$OUT/roster-describe-instance.json" <<'PY'
import json, sys

def row(path):
    report = json.load(open(path))
    return next(r for r in report["steps"][0]["rows"] if r["name"] == "describe-instance")

moto, roster = row(sys.argv[1]), row(sys.argv[2])
for name, r in (("moto", moto), ("roster", roster)):
    cpu = r.get("server_cpu_pct")
    cpu = f"{cpu:.0f} %" if cpu is not None else "-"
    print(f"{name:>7}: {r['throughput']:9.0f} req/s  p50 {r['p50_ms']:7.2f} ms  p99 {r['p99_ms']:7.2f} ms"
          f"  errors {r['errors']}  server CPU {cpu}")
print(f"DescribeInstance: roster / moto = {roster['throughput'] / moto['throughput']:.1f}x")
PY
