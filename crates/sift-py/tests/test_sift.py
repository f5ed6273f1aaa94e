"""The `sift` Python package: the same reports as the CLI, the table on all cores."""

import json
import subprocess
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import sift

ROOT = Path(__file__).resolve().parents[3]
SIFT_BIN = ROOT / "target" / "debug" / "sift"
MISSILE = (ROOT / "examples" / "missile-test.txt").read_text(encoding="utf-8")
TEXTS = [
    "The rocket flew 14,000 km in 15 hours, officials said. It is hypersonic.",
    "Мэр заявил, что бюджет города вырастет на 5%.",
    "Nothing here is counted.",
    "Analysts say the plan will fail. \"We will win,\" said Mayor Ines Alvarez.",
]


def without_timing(report):
    report = dict(report)
    report.pop("timing_ms")
    return report


def test_version_matches_the_crate():
    assert sift.__version__ == "0.1.0"


def test_analyze_returns_the_cli_report():
    report = sift.analyze(MISSILE, id="missile-test")
    assert report["id"] == "missile-test"
    assert report["quantities"], "the missile article has figures"
    if not SIFT_BIN.exists():
        pytest.skip(f"{SIFT_BIN} not built")
    cli = subprocess.run(
        [str(SIFT_BIN), "analyze", "--format", "json", "-"],
        input=MISSILE.encode(),
        capture_output=True,
        check=True,
    )
    cli_report = json.loads(cli.stdout)
    cli_report["id"] = "missile-test"
    # stdin records its encoding; a Python str has none.
    cli_report["source"].pop("encoding", None)
    report["source"].pop("encoding", None)
    assert without_timing(report) == without_timing(cli_report)


def test_analyze_forces_the_language_and_rejects_unknown_codes():
    assert sift.analyze("Hello there.", lang="ru")["language"]["code"] == "ru"
    with pytest.raises(ValueError):
        sift.analyze("Hello.", lang="fr")


def test_analyze_batch_gives_one_row_per_text_in_order():
    table = sift.analyze_batch(TEXTS, jobs=2)
    assert isinstance(table, pa.Table)
    assert table.num_rows == len(TEXTS)
    assert table.schema == sift.table_schema()
    assert table.column("id").to_pylist() == ["0", "1", "2", "3"]
    for row, text in zip(table.to_pylist(), TEXTS):
        report = sift.analyze(text, id=row["id"])
        assert row["quantities"] == len(report["quantities"])
        assert row["findings"] == len(report["findings"])
        assert [(q["start"], q["end"]) for q in row["quantity_spans"]] == [
            (q["start"], q["end"]) for q in report["quantities"]
        ]
        assert row["language"] == report["language"]["code"]


def test_analyze_batch_takes_an_arrow_table_with_ids_and_sources():
    table = pa.table(
        {
            "id": ["a", "b"],
            "text": TEXTS[:2],
            "title": ["Rocket", None],
            "extra": [1, 2],
        }
    )
    out = sift.analyze_batch(table)
    assert out.column("id").to_pylist() == ["a", "b"]
    assert out.column("title").to_pylist() == ["Rocket", None]
    batch = table.to_batches()[0]
    assert sift.analyze_batch(batch).column("id").to_pylist() == ["a", "b"]
    large = table.cast(
        pa.schema([("id", pa.large_string()), ("text", pa.large_string()),
                   ("title", pa.string()), ("extra", pa.int64())])
    )
    assert sift.analyze_batch(large).num_rows == 2


def test_analyze_batch_rejects_a_table_without_text_and_a_bare_string():
    with pytest.raises(ValueError):
        sift.analyze_batch(pa.table({"body": ["x"]}))
    with pytest.raises(TypeError):
        sift.analyze_batch("one text")


def test_an_empty_text_is_left_out_with_a_warning_as_the_cli_does():
    table = pa.table({"id": ["blank", "kept"], "text": ["  \n", "The vote was 52 to 48."]})
    with pytest.warns(RuntimeWarning, match="blank: text is empty"):
        out = sift.analyze_batch(table)
    assert out.column("id").to_pylist() == ["kept"]


def test_the_same_table_whatever_the_number_of_jobs():
    texts = [MISSILE] * 6 + TEXTS
    one = sift.analyze_batch(texts, jobs=1)
    two = sift.analyze_batch(texts, jobs=2)
    assert one.equals(two)


def test_analyze_batch_releases_the_gil():
    texts = [MISSILE] * 40
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    started = time.monotonic()
    sift.analyze_batch(texts, jobs=1)
    elapsed = time.monotonic() - started
    stop.set()
    ticker.join()
    during = [t for t in ticks if started <= t <= started + elapsed]
    # With the GIL held the ticker would not run at all while the batch is analysed.
    assert elapsed < 0.05 or len(during) >= 5, (elapsed, len(during))


def test_the_table_round_trips_through_parquet(tmp_path):
    table = sift.analyze_batch(TEXTS)
    path = tmp_path / "docs.parquet"
    pq.write_table(table, path)
    back = pq.read_table(path)
    assert back.num_rows == len(TEXTS)
    assert back.equals(table)
