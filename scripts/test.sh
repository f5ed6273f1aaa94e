#!/usr/bin/env bash
# The project's test command (the README's second line; .ci/run calls exactly this):
# the Rust workspace, then the Python package and the Spark job (scripts/test-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace
scripts/test-python.sh
