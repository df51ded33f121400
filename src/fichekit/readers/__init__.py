"""Readers: one module per input format, behind one small protocol, mirroring :mod:`fichekit.writers`.

A reader takes an opened :class:`~fichekit.sources.Source` (text readers use its
decoded lines, document readers its bytes) and yields records as plain data
(:mod:`fichekit.records`), appending its remarks to ``findings``. Raw text, Word and PDF all feed
the one sheet grammar (:mod:`fichekit.grammar`); Word and PDF readers are
adapters from a document to its stream of lines. The module of a format is
imported only when that format is read (see :data:`fichekit.formats.FORMATS`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..findings import Finding
    from ..formats import Format
    from ..records import FicheRecord
    from ..sources import Source

__all__ = ["Reader", "get_reader", "merge_layout_findings"]


class Reader(Protocol):
    """Read the records of one opened input."""

    def __call__(self, source: Source, findings: list[Finding]) -> Iterator[FicheRecord]: ...


def get_reader(fmt: Format) -> Reader:
    """The ``read`` function of ``fmt``'s reader module, imported on first use."""
    module_name = fmt.spec.reader
    if module_name is None:
        raise ValueError(f"no reader for {fmt}")
    module = importlib.import_module(f"{__name__}.{module_name}")
    reader: Reader = module.read
    return reader


def merge_layout_findings(found: list[Finding]) -> list[Finding]:
    """``found`` with its FK107 findings (the reader's, the grammar's) folded into one: one per file."""
    from ..findings import Code

    _LAYOUT = Code.LAYOUT_REMOVED
    layout = [f for f in found if f.code is _LAYOUT]
    if len(layout) < 2:
        return found
    merged = layout[0].replace(
        message=" ; ".join(f.message for f in layout),
        line=next((f.line for f in layout if f.line is not None), None),
        column=next((f.column for f in layout if f.column is not None), None),
    )
    rest = [f for f in found if f.code is not _LAYOUT]
    return [merged, *rest]
