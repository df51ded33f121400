"""The sheet grammar: one stream of lines in, fiche records out, whatever the reader.

Raw text exports feed it plain lines (:func:`iter_records`); the Word and PDF
readers feed it :class:`Line` objects carrying what the document says about
each line (:func:`iter_records_from_lines`). It yields plain records
(:mod:`fichekit.records`); the ``iter_fiches`` twins yield validated
:class:`~fichekit.model.Fiche` objects. It never prints: remarks become
findings.
"""

from .lines import Hint, Line
from .markers import split_marker
from .sheet import (
    ParseResult,
    iter_fiches,
    iter_fiches_from_lines,
    iter_records,
    iter_records_from_lines,
    iter_records_in_batches,
    near_miss_finding,
    parse_lines,
    parse_text,
)
from .structures import parse_structures, read_structures

__all__ = [
    "Hint",
    "Line",
    "ParseResult",
    "iter_fiches",
    "iter_fiches_from_lines",
    "iter_records",
    "iter_records_from_lines",
    "iter_records_in_batches",
    "near_miss_finding",
    "parse_lines",
    "parse_structures",
    "parse_text",
    "read_structures",
    "split_marker",
]
