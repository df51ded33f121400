"""Raw text exports (copy-paste, Word « Texte Unicode », PDF converted to text): the sheet grammar on decoded lines."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..grammar import iter_records_in_batches
from ..grammar.layout import profile_text
from ..records import FicheRecord
from ..sources import Source

__all__ = ["read"]


def read(source: Source, findings: list[Finding]) -> Iterator[FicheRecord]:
    """The sheets of a raw export, streamed line by line (PDF text recognised by its head)."""
    return iter_records_in_batches(source.line_batches(findings), source.name, findings, profile_text(source.head_text()))
