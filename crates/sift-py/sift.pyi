"""sift: audit news articles (type hints for the compiled module)."""

from typing import Any, Dict, Optional, Sequence, Union

import pyarrow

__version__: str

def analyze(text: str, lang: Optional[str] = None, id: Optional[str] = None) -> Dict[str, Any]:
    """Analyse one text; return its report as a dict, the same JSON as `sift analyze`.

    lang: None or "auto" to detect, "en" or "ru" to force.
    id: the report's id (default "text").
    """

def analyze_batch(
    texts_or_table: Union[Sequence[str], "pyarrow.Table", "pyarrow.RecordBatch"],
    jobs: Optional[int] = None,
    lang: Optional[str] = None,
) -> pyarrow.Table:
    """Analyse many documents on `jobs` threads (default: all cores), GIL released.

    Takes a list of texts (ids "0", "1", ...) or an Arrow table / record batch with a
    string column `text` and optional `id`, `title`, `url`, `published`, `outlet`,
    `byline`. Returns the document table (docs/table-schema.md), one row per document
    in input order; a document whose analysis failed is left out with a RuntimeWarning.
    """

def table_schema() -> pyarrow.Schema:
    """The schema of the table `analyze_batch` returns."""
