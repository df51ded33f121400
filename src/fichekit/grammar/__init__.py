"""The sheet grammar: one stream of lines in, fiche records out, whatever the reader.

Raw text exports feed it plain lines (:func:`iter_records`); the Word and PDF
readers feed it :class:`Line` objects carrying what the document says about
each line (:func:`iter_records_from_lines`). It yields plain records
(:mod:`fichekit.records`); :func:`parse_text` gives validated
:class:`~fichekit.model.Fiche` objects. It never prints: remarks become
findings.
"""

from . import sheet
from .lines import Hint, Line
from .markers import split_marker
from .sheet import *  # noqa: F403 (the grammar's public names, listed once in sheet.__all__)
from .structures import parse_structures, read_structures

__all__ = ["Hint", "Line", "parse_structures", "read_structures", "split_marker"]
__all__ += sheet.__all__
