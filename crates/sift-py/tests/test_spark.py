"""examples/spark/analyze_corpus.py on Spark local[2] gives the CLI's reports, article for article."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[3]
SIFT_BIN = ROOT / "target" / "debug" / "sift"
EXAMPLE = ROOT / "examples" / "spark" / "analyze_corpus.py"

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (java not on PATH)", allow_module_level=True)


def load_example():
    spec = importlib.util.spec_from_file_location("analyze_corpus", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def articles():
    texts = [
        ROOT / "examples" / "missile-test.txt",
        ROOT / "examples" / "zapusk.txt",
    ]
    records = [
        {"id": path.stem, "text": path.read_text(encoding="utf-8")} for path in texts
    ]
    records += [
        {"id": "council", "text": "The city council approved a budget of $4 million on Tuesday. "
                                  "Mayor Ines Alvarez said it would fund two schools."},
        {"id": "vague", "text": "Experts say the economy will collapse. Everyone knows it."},
        {"id": "empty", "text": ""},
    ]
    return records


def spans(items, start="start", end="end"):
    return [(item[start], item[end]) for item in items]


def test_spark_job_matches_the_cli_report_for_report(tmp_path):
    if not SIFT_BIN.exists():
        pytest.skip(f"{SIFT_BIN} not built (cargo build -p sift-cli)")
    corpus = tmp_path / "articles.jsonl"
    corpus.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in articles()), encoding="utf-8"
    )
    cli_out = tmp_path / "cli.jsonl"
    done = subprocess.run(
        [str(SIFT_BIN), "analyze", str(corpus), "--format", "jsonl", "-o", str(cli_out), "--quiet"],
        capture_output=True,
        text=True,
    )
    # The empty record is a bad input: reported, skipped, exit 3 (some inputs failed).
    assert done.returncode == 3, done.stderr
    assert "record text is empty" in done.stderr
    cli = {}
    for line in cli_out.read_text(encoding="utf-8").splitlines():
        report = json.loads(line)
        cli[report["id"]] = report

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("sift-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    out_dir = tmp_path / "table.parquet"
    try:
        load_example().run(spark, str(corpus), str(out_dir), "jsonl", jobs_per_task=1, partitions=2)
    finally:
        spark.stop()

    rows = {row["id"]: row for row in pq.read_table(out_dir).to_pylist()}
    assert sorted(rows) == sorted(cli), "one row per article, the same ids"
    assert "empty" not in rows and len(rows) == 4
    for doc_id, report in cli.items():
        row = rows[doc_id]
        assert row["language"] == report["language"]["code"], doc_id
        assert row["chars"] == len(report["text"]), doc_id
        assert row["sentences"] == len(report["sentences"]), doc_id
        assert spans(row["entity_spans"]) == spans(report["entities"]), doc_id
        assert spans(row["quantity_spans"]) == spans(report["quantities"]), doc_id
        assert [q["si_value"] for q in row["quantity_spans"]] == [
            q["si_value"] for q in report["quantities"]
        ], doc_id
        assert spans(row["attribution_spans"]) == [
            (a["content"]["start"], a["content"]["end"]) for a in report["attributions"]
        ], doc_id
        assert [(t["start"], t["end"], t["technique"]) for t in row["technique_spans"]] == [
            (t["start"], t["end"], t["technique"]) for t in report["techniques"]
        ], doc_id
        assert spans(row["claim_spans"]) == spans(report["claims"]), doc_id
        assert [f["code"] for f in row["finding_items"]] == [
            f["code"] for f in report["findings"]
        ], doc_id
        sourcing = report.get("sourcing")
        if sourcing is not None:
            assert row["attributed_sentences"] == sourcing["attributed_sentences"], doc_id
    assert any(row["quantities"] > 0 for row in rows.values())
