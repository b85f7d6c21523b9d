"""Every pair of the shared search vectors holds through `matches`.

Each row is a query, a document and whether a reader typing the query should
find the document; the reason column says what the row is about.
"""

import csv
from pathlib import Path

import pytest

from minbar.arabic import analyze, matches

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "arabic_search_vectors.tsv"


def _rows():
    with VECTORS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_vectors_file_is_there_and_complete():
    rows = _rows()
    assert len(rows) >= 44
    assert {row["should_match"] for row in rows} == {"yes", "no"}


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["reason"][:60])
def test_vector(row):
    expected = row["should_match"] == "yes"
    assert matches(row["query"], row["document_text"]) is expected, (
        f"{row['reason']}: query terms {analyze(row['query'])} vs document terms {analyze(row['document_text'])}"
    )
