#!/usr/bin/env bash
# Coverage-guided fuzzing of sift with libFuzzer on the stable toolchain: the
# instrumentation flags cargo-fuzz passes, without its nightly-only sanitizers
# (Rust code is memory-safe; what we look for is panics, aborts, stack
# overflows, hangs and runaway memory).
#
#   scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags]
#   targets: decode html records analyze
#
# New inputs collect in fuzz/corpus/TARGET (ignored by git); a crash is written
# to fuzz/artifacts/TARGET/. Keep each crash as a regression case in
# crates/sift/tests/data/fuzz/TARGET/ (crates/sift/tests/fuzz_regressions.rs).
set -euo pipefail
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
cd "$(dirname "$0")/../fuzz"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares"
# An explicit --target keeps RUSTFLAGS off build scripts and proc macros,
# which must not be instrumented (nothing links the coverage runtime there).
host=$(rustc -vV | sed -n 's/^host: //p')
# The instrumented build keeps its own target folder (its RUSTFLAGS would invalidate the main
# one's cache), whatever CARGO_TARGET_DIR says; the binary is run from there below.
export CARGO_TARGET_DIR="$PWD/target"
cargo build --release --target "$host" --bin "$target"
mkdir -p "corpus/$target" "artifacts/$target"
# -timeout=120: on a starved shared core the instrumented build took over 20 s (the old
# limit) on the stored 57 KB html case while loading the corpus, which stopped the run at once.
exec "./target/$host/release/$target" -max_total_time="$seconds" -timeout=120 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="artifacts/$target/" \
  "$@" "corpus/$target" "seeds/$target" "../crates/sift/tests/data/fuzz/$target"
