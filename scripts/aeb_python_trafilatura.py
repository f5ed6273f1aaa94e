#!/usr/bin/env python3
"""Time Python trafilatura on the AEB pages (one core) and write its predictions.

The predictions are scored by `sift eval extraction --predictions OUT`, so every
system is measured with the same metric code. Only for measuring the peer tool:
never a runtime dependency of sift.

usage: aeb_python_trafilatura.py AEB_DIR OUT.json
"""
import gzip
import json
import resource
import sys
import time
from pathlib import Path

import trafilatura


def main() -> None:
    aeb, out = Path(sys.argv[1]), Path(sys.argv[2])
    pages = {}
    for path in sorted((aeb / "html").glob("*.html.gz")):
        with gzip.open(path, "rt", encoding="utf8") as f:
            pages[path.name.split(".")[0]] = f.read()
    predictions = {}
    elapsed = 0.0
    for key, html in pages.items():
        start = time.perf_counter()
        text = trafilatura.extract(html, include_comments=False)
        elapsed += time.perf_counter() - start
        predictions[key] = {"articleBody": text or ""}
    out.write_text(json.dumps(predictions))
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"python-trafilatura {trafilatura.__version__}: {len(pages)} pages, "
        f"{len(pages) / elapsed:.1f} pages/s, peak RSS {rss_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
