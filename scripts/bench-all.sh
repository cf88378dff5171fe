#!/usr/bin/env bash
# Reproduces every figure of the throughput section of docs/performance.md:
#
#  1. `roster-bench ops` on a spawned release build (strict SigV4): the baseline server
#     and every scenario at 4, 16 and 64 clients, CreateUser at 64, at 10,000, 100,000
#     and 1,000,000 users (the last spread over 10 instances of 100,000), with RSS,
#     data-directory size and restart time at each size;
#  2. scripts/bench-moto.sh: DescribeInstance against moto's server.
#
# Loading 1,000,000 users through the API takes most of the time (35 minutes in all on a
# 2-core machine); BENCH_GROWTH=10000,100000 makes a shorter run. Output and JSON go to
# target/bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."

GROWTH="${BENCH_GROWTH:-10000,100000,1000000}"
OUT=target/bench-results
mkdir -p "$OUT"

cargo build --release -p roster -p roster-bench

./target/release/roster-bench ops --spawn ./target/release/roster --auth strict \
  --growth "$GROWTH" --users-per-instance 100000 \
  --concurrency 4,16,64 --create-concurrency 64 --duration 10s --warmup 2s \
  --json "$OUT/ops-growth.json" | tee "$OUT/ops-growth.log"

./scripts/bench-moto.sh | tee "$OUT/moto.log"
