"""Analyse a corpus of articles with sift on Apache Spark; write the document table as Parquet.

    spark-submit examples/spark/analyze_corpus.py INPUT OUTPUT [--format jsonl|parquet]
        [--jobs-per-task N] [--partitions N]

INPUT holds one article per row with a string column `text` and, optionally, `id`, `title`,
`url`, `published`, `outlet`, `byline` (JSON Lines, or Parquet). OUTPUT is a Parquet directory
with one row per article and the columns of docs/table-schema.md.

Each Spark task hands its Arrow batches to `sift.analyze_batch` (mapInArrow): the articles
never become Python objects, and sift analyses a batch on `--jobs-per-task` threads with the
GIL released. The `sift` wheel must be installed on every executor (README: "Spark").
"""

import argparse

from pyspark.sql import SparkSession
from pyspark.sql.pandas.types import from_arrow_schema

import sift

INPUT_COLUMNS = ["id", "text", "title", "url", "published", "outlet", "byline"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSONL file or directory, or Parquet, of articles")
    parser.add_argument("output", help="Parquet directory to write")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default=None,
                        help="input format (default: from the input's extension)")
    parser.add_argument("--jobs-per-task", type=int, default=1,
                        help="sift threads per Spark task; match spark.task.cpus")
    parser.add_argument("--partitions", type=int, default=None,
                        help="repartition the input first (default: as read)")
    return parser.parse_args(argv)


def analyze_partition(batches, jobs):
    """mapInArrow body: Arrow batches of articles in, Arrow batches of the table out."""
    import sift as sift_on_executor

    for batch in batches:
        table = sift_on_executor.analyze_batch(batch, jobs=jobs)
        yield from table.to_batches()


def run(spark, input_path, output_path, input_format=None, jobs_per_task=1, partitions=None):
    if input_format is None:
        input_format = "parquet" if input_path.rstrip("/").endswith(".parquet") else "jsonl"
    reader = spark.read
    articles = reader.parquet(input_path) if input_format == "parquet" else reader.json(input_path)
    present = [c for c in INPUT_COLUMNS if c in articles.columns]
    if "text" not in present:
        raise SystemExit(f"{input_path}: no `text` column (columns: {articles.columns})")
    articles = articles.select(*present)
    if partitions:
        articles = articles.repartition(partitions)
    schema = from_arrow_schema(sift.table_schema())
    table = articles.mapInArrow(lambda batches: analyze_partition(batches, jobs_per_task), schema)
    table.write.mode("overwrite").parquet(output_path)


def main(argv=None):
    args = parse_args(argv)
    spark = SparkSession.builder.appName("sift-analyze-corpus").getOrCreate()
    try:
        run(spark, args.input, args.output, args.format, args.jobs_per_task, args.partitions)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
