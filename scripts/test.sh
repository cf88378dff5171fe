#!/usr/bin/env bash
# Runs every test of roster: formatting and lints, the Rust unit and integration
# tests (the real binary driven by aws-sdk-connect; the store suite and the
# integration tests run on SQLite and, when ROSTER_TEST_DATABASE_URL names a
# PostgreSQL server, on PostgreSQL too), and the end-to-end checks with the AWS CLI
# and boto3 from PyPI (installed into .venv on first use).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo test (unit, store suite, integration)"
cargo build --workspace --all-targets
cargo test --workspace

echo "== integration tests again, on PostgreSQL"
if [ -n "${ROSTER_TEST_DATABASE_URL:-}" ]; then
  # The same package selection as above, so nothing is rebuilt.
  ROSTER_TEST_BACKEND=postgres cargo test --workspace --test '*'
else
  echo "SKIPPED: ROSTER_TEST_DATABASE_URL is not set; the integration tests did not run on PostgreSQL" >&2
fi

echo "== end-to-end with the AWS CLI, boto3 and the console in headless Chromium"
# The console's browser tests drive Debian's chromium through Playwright (whose own
# browser download is never used).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
ROSTER_BIN="$PWD/target/debug/roster" PATH="$PWD/.venv/bin:$PATH" \
  .venv/bin/python -m pytest -q tests/e2e
