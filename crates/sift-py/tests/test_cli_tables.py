"""`sift analyze --format parquet|csv` read back by pyarrow: one row per document."""

import subprocess
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[3]
SIFT_BIN = ROOT / "target" / "debug" / "sift"
PTC = ROOT.parent / "shared" / "data" / "ptc" / "train" / "articles"


def corpus(tmp_path):
    if PTC.is_dir():
        return PTC, len(list(PTC.glob("*.txt")))
    print(f"{PTC} is absent: using the shipped examples")
    articles = tmp_path / "articles"
    articles.mkdir()
    for example in (ROOT / "examples").glob("*.txt"):
        (articles / example.name).write_bytes(example.read_bytes())
    return articles, len(list(articles.glob("*.txt")))


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_cli_table_has_one_row_per_document(tmp_path, fmt):
    if not SIFT_BIN.exists():
        pytest.skip(f"{SIFT_BIN} not built")
    articles, documents = corpus(tmp_path)
    out = tmp_path / f"docs.{fmt}"
    subprocess.run(
        [str(SIFT_BIN), "analyze", str(articles), "--format", fmt, "-o", str(out), "--quiet"],
        check=True,
    )
    table = pq.read_table(out) if fmt == "parquet" else pacsv.read_csv(out)
    assert table.num_rows == documents
    ids = table.column("id").to_pylist()
    assert len(set(map(str, ids))) == documents
    assert min(table.column("sentences").to_pylist()) >= 0
    if fmt == "parquet":
        assert "technique_spans" in table.column_names
        assert table.to_pandas().shape[0] == documents
