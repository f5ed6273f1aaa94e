#!/usr/bin/env bash
# The Python package (crates/sift-py) and the Spark example, tested as a user would run them:
# build the wheel with maturin, install it into a virtualenv, run pytest; then install the
# same wheel into a fresh virtualenv and import it. Everything lives under target/ (ignored).
# Needs python3 with venv, Java 17 for Spark (the Spark test skips without `java`), and the
# package registry for the first run (later runs reuse the virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/py-venv
wheels=target/py-wheels
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "maturin>=1.5,<2" "pyspark>=3.5" "pyarrow>=14" "pandas>=2.2,<3" "pytest>=7"

# The tests compare the package's reports with the CLI's target/debug/sift, which
# `cargo test --workspace` (the first half of the README's test command) has built; they skip
# without it.

# A debug build (the workspace's dev profile: dependencies at opt-level 2) keeps CI short;
# release wheels: README, "Python".
rm -rf "$wheels"
"$venv/bin/maturin" build --quiet --manifest-path crates/sift-py/Cargo.toml \
  --interpreter "$venv/bin/python" --compatibility linux --out "$wheels"
wheel=$(ls "$wheels"/*.whl)
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

"$venv/bin/python" -m pytest -q -rs crates/sift-py/tests   # -rs: say why anything skipped

# The wheel on its own: a fresh virtualenv, the wheel and its declared dependencies only.
fresh=target/py-fresh
rm -rf "$fresh"
python3 -m venv "$fresh"
"$fresh/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
"$fresh/bin/python" - <<'PY'
import sift
report = sift.analyze("The rocket flew 14,000 km in 15 hours.")
table = sift.analyze_batch(["One.", "Two."])
assert report["quantities"] and table.num_rows == 2, (report, table)
print(f"fresh virtualenv: sift {sift.__version__} imports and analyses")
PY
